using EcgOrleans.Experiments;

// Each experiment prints what it measured and the CPU it ran on; bench/README.md records the figures.
Console.WriteLine($"CPU: {Machine.CpuModel()}; ONEDNN_MAX_CPU_ISA={Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "(unset)"}");
switch (args.FirstOrDefault())
{
    case "scalar-race":
        ScalarRace.Run(args.Length > 1 ? TimeSpan.FromSeconds(double.Parse(args[1])) : TimeSpan.FromSeconds(20));
        return 0;
    case "conv-gradients":
        ConvolutionGradients.Run();
        return 0;
    default:
        Console.Error.WriteLine("usage: EcgOrleans.Experiments scalar-race [SECONDS] | conv-gradients");
        return 2;
}
