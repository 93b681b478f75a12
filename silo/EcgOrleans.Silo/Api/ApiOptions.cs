namespace EcgOrleans.Silo.Api;

/// <summary>The "Ecg:Api" configuration section: who may write and read, and how large a request may be.</summary>
public sealed class ApiOptions
{
    public const string Section = "Ecg:Api";

    /// <summary>Write keys, accepted in the X-Api-Key header: they may write and read. None configured: every write is refused.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Read-only keys: they read (where reads need a key, and the dashboard); a write with one is refused with 403.</summary>
    public List<string> ReadKeys { get; set; } = [];

    /// <summary>When true, reads (runs, maps, models, the map stream, /metrics) need a key too. The dashboard always does.</summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>Largest signal chunk body (JSON); 1 Mi samples, the record grain's own limit, take ~12 MiB as JSON.</summary>
    public long MaxChunkBytes { get; set; } = 16L << 20;

    /// <summary>Largest checkpoint upload; the model registry refuses more than 64 MiB anyway.</summary>
    public long MaxCheckpointBytes { get; set; } = 64L << 20;

    /// <summary>Largest body of the other writes (run creation).</summary>
    public long MaxJsonBytes { get; set; } = 64L << 10;

    /// <summary>Class-map streams (server-sent events) one silo serves at once; more are refused with 503.</summary>
    public int MaxStreams { get; set; } = 64;

    /// <summary>Class-map streams one client address may hold at once; more are refused with 429.</summary>
    public int MaxStreamsPerClient { get; set; } = 4;

    /// <summary>Seconds one event of a class-map stream may wait for the client to take it before the stream is dropped.</summary>
    public double StreamWriteTimeoutSeconds { get; set; } = 10;

    /// <summary>Serve the Orleans dashboard at /dashboard, to holders of a key only (its live log view is off).</summary>
    public bool Dashboard { get; set; } = true;
}
