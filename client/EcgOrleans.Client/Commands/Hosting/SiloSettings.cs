using System.ComponentModel;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Hosting;

/// <summary>The options of <c>ecg silo</c>.</summary>
internal sealed class SiloSettings : CommandSettings
{
    [CommandOption("--clustering <KIND>")]
    [Description("localhost (one silo; the default), development (several on this machine, joined through --primary-port), or redis.")]
    public string Clustering { get; init; } = "localhost";

    [CommandOption("--silo-port <PORT>")]
    [Description("Port silos talk to each other on (default 11111).")]
    public int SiloPort { get; init; } = 11111;

    [CommandOption("--gateway-port <PORT>")]
    [Description("Port clients connect to (default 30000).")]
    public int GatewayPort { get; init; } = 30000;

    [CommandOption("--primary-port <PORT>")]
    [Description("Silo port of the primary silo (development clustering; default 11111).")]
    public int PrimaryPort { get; init; } = 11111;

    [CommandOption("--redis <CONNECTION>")]
    [Description("Redis of the membership table and grain state, for redis clustering (default 127.0.0.1:6379).")]
    public string Redis { get; init; } = "127.0.0.1:6379";

    [CommandOption("--models <DIR>")]
    [Description("Checkpoints to register at start-up (default: models/ beside the program).")]
    public string? Models { get; init; }
}
