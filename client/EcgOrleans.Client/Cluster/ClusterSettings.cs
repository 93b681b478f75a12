using System.ComponentModel;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Cluster;

/// <summary>How a command reaches the cluster: a running silo's gateway, or a silo started in this process.</summary>
internal class ClusterSettings : CommandSettings
{
    [CommandOption("--gateway <HOST:PORT>")]
    [Description("Gateway of a running silo (default 127.0.0.1:30000). Repeat or comma-separate for several.")]
    public string? Gateway { get; init; }

    [CommandOption("--redis <CONNECTION>")]
    [Description("Find the gateways through the cluster's Redis membership table (e.g. 127.0.0.1:6379) instead of --gateway.")]
    public string? Redis { get; init; }

    [CommandOption("--in-process")]
    [Description("Start a silo inside this process (in-memory storage, bundled models) instead of connecting to one.")]
    public bool InProcess { get; init; }

    [CommandOption("--cluster-id <ID>")]
    public string ClusterId { get; init; } = "ecg";

    [CommandOption("--service-id <ID>")]
    public string ServiceId { get; init; } = "ecg-orleans";
}
