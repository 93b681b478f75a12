using System.ComponentModel;
using EcgOrleans.Grains.Hosting;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Cluster;

/// <summary>How a command reaches the cluster: a running silo's gateway, or a silo started in this process.</summary>
internal class ClusterSettings : CommandSettings
{
    [CommandOption("--gateway <HOST:PORT>")]
    [Description("Gateway of a running silo (default " + ClusterDefaults.Gateway + "). Comma-separate several.")]
    public string? Gateway { get; init; }

    [CommandOption("--redis <CONNECTION>")]
    [Description("Find the gateways through the cluster's Redis membership table (e.g. 127.0.0.1:6379) instead of --gateway.")]
    public string? Redis { get; init; }

    [CommandOption("--in-process")]
    [Description("Start a silo inside this process (in-memory storage, bundled models) instead of connecting to one.")]
    public bool InProcess { get; init; }

    [CommandOption("--tls-cert <FILE>")]
    [Description("Client certificate (PEM, or PFX with --tls-password) for silos that require mutual TLS; default $ECG_TLS_CERT.")]
    public string? TlsCertificate { get; init; } = Environment.GetEnvironmentVariable("ECG_TLS_CERT");

    [CommandOption("--tls-key <FILE>")]
    [Description("PEM private key of --tls-cert, when not in the certificate file; default $ECG_TLS_KEY.")]
    public string? TlsKey { get; init; } = Environment.GetEnvironmentVariable("ECG_TLS_KEY");

    [CommandOption("--tls-ca <FILE>")]
    [Description("PEM of the CA that signs the silos' certificates; default $ECG_TLS_CA.")]
    public string? TlsCa { get; init; } = Environment.GetEnvironmentVariable("ECG_TLS_CA");

    [CommandOption("--tls-password <PASSWORD>")]
    [Description("Password of a PFX --tls-cert or an encrypted key; default $ECG_TLS_PASSWORD.")]
    public string? TlsPassword { get; init; } = Environment.GetEnvironmentVariable("ECG_TLS_PASSWORD");

    /// <summary>The client's TLS settings; not enabled without a certificate.</summary>
    public TlsSettings Tls => new() { Certificate = TlsCertificate, Key = TlsKey, Ca = TlsCa, Password = TlsPassword };

    [CommandOption("--cluster-id <ID>")]
    [Description("Cluster id the silos run with (default " + ClusterDefaults.ClusterId + ", as `ecg silo`, the silo project and deploy/local-cluster.sh use).")]
    public string ClusterId { get; init; } = ClusterDefaults.ClusterId;

    [CommandOption("--service-id <ID>")]
    [Description("Service id the silos run with (default " + ClusterDefaults.ServiceId + ").")]
    public string ServiceId { get; init; } = ClusterDefaults.ServiceId;
}
