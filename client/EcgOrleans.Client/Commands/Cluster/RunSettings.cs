using System.ComponentModel;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Ml.Saliency;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The run a command streams into and, when it creates the run, the analysis it asks for: shared by <c>ingest</c> and <c>simulate</c>.</summary>
internal abstract class RunSettings : ClusterSettings
{
    [CommandOption("--run <NAME>")]
    [Description("Run to stream into; created on first use.")]
    public string? Run { get; init; }

    [CommandOption("--model <MODEL>")]
    [Description("Model name (its active version) or name@version, used when the run is created (default " + RunDefaults.Model + ").")]
    public string Model { get; init; } = RunDefaults.Model;

    [CommandOption("--method <METHOD>")]
    [Description("Saliency method: vanilla (the default), gradxinput, smoothgrad, ig, occlusion, gradcam.")]
    public string Method { get; init; } = SaliencyMethods.Name(SaliencyMethodKind.Vanilla);

    [CommandOption("--target <TARGET>")]
    [Description("Class each map explains: predicted (the default) or reference.")]
    public string Target { get; init; } = SaliencyTarget.Predicted.Name;

    /// <summary>The run asked for, with the method and target in their one spelling (<see cref="AnalysisProblem"/> first).</summary>
    public RunRequest RunRequest() => new(Model, SaliencyMethods.Name(SaliencyMethods.Parse(Method)), SaliencyTarget.Parse(Target).Name);

    /// <summary>What is wrong with --method or --target, or null: the message names the value and the valid ones.</summary>
    public string? AnalysisProblem() => Problem("--method", () => SaliencyMethods.Parse(Method)) ?? Problem("--target", () => SaliencyTarget.Parse(Target));

    private static string? Problem<T>(string option, Func<T> parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (ArgumentException e)
        {
            return $"{option}: {e.Message}";
        }
    }
}

internal static class RunDefaults
{
    public const string Model = "kachuee-window-ds1";
}
