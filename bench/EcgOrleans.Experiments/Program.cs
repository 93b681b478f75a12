using EcgOrleans.Experiments;

// Each experiment prints what it measured and the CPU it ran on; bench/README.md records the figures.
Console.WriteLine($"CPU: {Machine.CpuModel()}; ONEDNN_MAX_CPU_ISA={Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "(unset)"}");
string Argument(int index, string fallback) => args.Length > index ? args[index] : fallback;

switch (args.FirstOrDefault())
{
    case "scalar-race":
        ScalarRace.Run(args.Length > 1 ? TimeSpan.FromSeconds(double.Parse(args[1])) : TimeSpan.FromSeconds(20));
        return 0;
    case "conv-gradients":
        ConvolutionGradients.Run();
        return 0;
    case "concurrent-scoring":
        return ConcurrentScoring.Run(Argument(1, Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "models", "kachuee-window-ds1.ckpt")),
            int.Parse(Argument(2, "4")), TimeSpan.FromSeconds(double.Parse(Argument(3, "30"))), gated: Argument(4, "gated") != "ungated");
    default:
        Console.Error.WriteLine("usage: EcgOrleans.Experiments scalar-race [SECONDS] | conv-gradients | concurrent-scoring [CHECKPOINT] [THREADS] [SECONDS] [gated|ungated]");
        return 2;
}
