using System.ComponentModel;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
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
    public string Method { get; init; } = "vanilla";

    [CommandOption("--target <TARGET>")]
    [Description("Class each map explains: predicted (the default) or reference.")]
    public string Target { get; init; } = "predicted";

    public RunRequest RunRequest() => new(Model, Method, Target);
}

internal static class RunDefaults
{
    public const string Model = "kachuee-window-ds1";
}
