using Orleans.Concurrency;

namespace EcgOrleans.Abstractions;

/// <summary>A named analysis, keyed "run": its model, method, records and class maps.</summary>
[Alias("ecg.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Creates the run, or confirms it when it exists with the same request; a different request is a conflict.</summary>
    Task<RunConfig> Configure(RunRequest request);

    /// <summary>The run's configuration; an unknown run is an <see cref="EcgRequestException"/>.</summary>
    Task<RunConfig> GetConfig();

    Task<RunInfo> GetInfo();

    /// <summary>Called by record grains at their commit points (at most every few seconds while they stream).</summary>
    Task ReportProgress(RecordProgress progress);

    /// <summary>
    /// Called by a class map of this run before it persists its first merge, so that the run lists every map that
    /// holds beats; persisted before it answers.
    /// </summary>
    Task RegisterClassMap(string mapKey);
}

/// <summary>One record streamed into one run, keyed "run/dataset/record".</summary>
[Alias("ecg.IRecordGrain")]
public interface IRecordGrain : IGrainWithStringKey
{
    Task<ChunkAck> Append(SignalChunk chunk);

    Task<RecordProgress> GetProgress();
}

/// <summary>A trained model, keyed "name@version": probabilities and saliency for beat batches.</summary>
[Alias("ecg.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Scores the batches together, in as few passes as their beats allow, and answers each batch apart.</summary>
    Task<IReadOnlyList<BatchScores>> ScoreAll(IReadOnlyList<BeatBatch> batches, string method, string target);
}

/// <summary>
/// Gathers the batches of the record grains of one silo for one analysis, keyed "model@version/method/target", so
/// that a model scores many records' beats in one pass: it sends what waits when enough beats wait, or when the oldest
/// has waited long enough (both settings), and answers every caller with its own batch's scores.
/// </summary>
[Alias("ecg.IScoringQueue")]
public interface IScoringQueue : IGrainWithStringKey
{
    Task<BatchScores> Score(BeatBatch batch);
}

/// <summary>
/// Gathers the class-map contributions of the record grains of one silo for one run, keyed "run", into epochs that
/// it applies to the class maps together (exactly once per map and epoch; see docs/exactly-once.md). A record
/// reserves a place in the open epoch, persists its contribution with that ticket, then publishes it.
/// </summary>
[Alias("ecg.IClassMapPublisher")]
public interface IClassMapPublisher : IGrainWithStringKey
{
    Task<PublicationTicket> Reserve();

    /// <summary>Adds the contribution to its epoch; completes once the epoch is applied to every map it touches, or throws.</summary>
    Task Publish(PublicationTicket ticket, IReadOnlyList<PartialMap> parts);

    /// <summary>The reserving record could not persist its contribution: the whole epoch is abandoned.</summary>
    Task Abandon(PublicationTicket ticket);
}

/// <summary>The checkpoints the cluster knows, keyed "default".</summary>
[Alias("ecg.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    /// <summary>Stores a checkpoint as the next version of <paramref name="name"/>; the first version becomes active.</summary>
    Task<ModelInfo> Upload(string name, byte[] checkpoint);

    Task<ModelInfo> Activate(string name, int version);

    Task<IReadOnlyList<ModelInfo>> List();

    /// <summary>"name" (its active version) or "name@version" to the exact version; unknown is an <see cref="EcgRequestException"/>.</summary>
    Task<ModelInfo> Resolve(string model);
}

/// <summary>
/// The bytes of one checkpoint version, keyed "name@version" (<see cref="ModelInfo.Key"/>), apart from the registry,
/// which keeps only what it knows about them: each version is its own stored state, read only by the model grains
/// that load it.
/// </summary>
[Alias("ecg.IModelCheckpointGrain")]
public interface IModelCheckpointGrain : IGrainWithStringKey
{
    /// <summary>Stores the version's bytes (the registry does, having checked them, before it lists the version); storing them again changes nothing.</summary>
    Task Store(byte[] checkpoint);

    /// <summary>The version's bytes; a version never stored is an <see cref="EcgRequestException"/> (unknown-model).</summary>
    Task<byte[]> Get();
}

/// <summary>The average saliency map of one class of one run, keyed "run/grouping/class" (e.g. "r1/reference/V", "r1/cell/V-N").</summary>
[Alias("ecg.IClassMapGrain")]
public interface IClassMapGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a publisher's epoch once: epochs of one publisher arrive in order, and one at or below the last applied
    /// is a repeat. An epoch fenced by <see cref="Resolve"/> is refused.
    /// </summary>
    Task Apply(string publisher, long epoch, PartialMap partial);

    /// <summary>Whether a publisher's epoch was applied here; if not, it never will be (it is fenced).</summary>
    Task<bool> Resolve(string publisher, long epoch);

    Task<ClassMapView> Get();

    Task Subscribe(IClassMapObserver observer);

    Task Unsubscribe(IClassMapObserver observer);
}

/// <summary>Receives a class map's new state as beats arrive (throttled).</summary>
[Alias("ecg.IClassMapObserver")]
public interface IClassMapObserver : IGrainObserver
{
    [OneWay]
    Task OnUpdated(ClassMapView map);
}
