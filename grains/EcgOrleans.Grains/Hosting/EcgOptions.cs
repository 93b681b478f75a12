namespace EcgOrleans.Grains.Hosting;

/// <summary>The "Ecg" configuration section: providers and model settings of a silo.</summary>
public sealed class EcgOptions
{
    public const string Section = "Ecg";

    /// <summary>
    /// "localhost" (one silo, the default), "development" (several silos on this machine joined through the
    /// primary silo at <see cref="PrimarySiloPort"/>; no server to install), "redis", or "kubernetes"
    /// (Kubernetes hosting with Redis membership).
    /// </summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>"memory" (the default) or "redis".</summary>
    public string Storage { get; set; } = "memory";

    /// <summary>StackExchange.Redis connection string for Redis clustering and storage.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Address other silos and clients reach this silo at (Redis clustering outside Kubernetes).</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    public string ClusterId { get; set; } = "ecg";

    public string ServiceId { get; set; } = "ecg-orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo port of the primary silo, for "development" clustering.</summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>Folder of bundled checkpoints uploaded to the model registry at start-up (default: models/ beside the program).</summary>
    public string? Models { get; set; }

    /// <summary>LibTorch intra-op threads per process, 0 for one per core: scoring runs one call at a time, on every core.</summary>
    public int TorchThreads { get; set; }

    /// <summary>Beats a silo's scoring queue gathers from its records before it sends them to the model at once.</summary>
    public int ScoringBatchBeats { get; set; } = 64;

    /// <summary>Longest a batch waits in the scoring queue for others to join it.</summary>
    public TimeSpan ScoringWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a silo's class-map publisher closes an epoch and applies it to the class maps.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Mutual TLS for the silo port and the gateway (<see cref="TlsSettings"/>). Without it both listen on 127.0.0.1
    /// only: no process on another host reaches the grains.
    /// </summary>
    public TlsSettings Tls { get; set; } = new();

    public string ModelsFolder => Models ?? Path.Combine(AppContext.BaseDirectory, "models");
}
