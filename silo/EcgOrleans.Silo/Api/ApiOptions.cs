namespace EcgOrleans.Silo.Api;

/// <summary>The "Ecg:Api" configuration section: who may write and read, and how large a request may be.</summary>
public sealed class ApiOptions
{
    public const string Section = "Ecg:Api";

    /// <summary>API keys accepted in the X-Api-Key header. None configured: every write is refused.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>When true, reads (runs, maps, models, the map stream, /metrics, the dashboard) need a key too.</summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>Largest signal chunk body (JSON); 1 Mi samples, the record grain's own limit, take ~12 MiB as JSON.</summary>
    public long MaxChunkBytes { get; set; } = 16L << 20;

    /// <summary>Largest checkpoint upload; the model registry refuses more than 64 MiB anyway.</summary>
    public long MaxCheckpointBytes { get; set; } = 64L << 20;

    /// <summary>Largest body of the other writes (run creation).</summary>
    public long MaxJsonBytes { get; set; } = 64L << 10;

    /// <summary>Class-map streams (server-sent events) one silo serves at once; more are refused with 503.</summary>
    public int MaxStreams { get; set; } = 64;

    /// <summary>Serve the Orleans dashboard at /dashboard.</summary>
    public bool Dashboard { get; set; } = true;
}
