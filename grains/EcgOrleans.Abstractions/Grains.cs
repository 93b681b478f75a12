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

    /// <summary>Called by record grains at their commit points.</summary>
    Task ReportProgress(RecordProgress progress, IReadOnlyList<string> classMaps);
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
    Task<BatchScores> Score(BeatBatch batch, string method, string target);
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

    Task<byte[]> GetCheckpoint(string modelVersion);
}

/// <summary>The average saliency map of one class of one run, keyed "run/grouping/class" (e.g. "r1/reference/V", "r1/cell/V-N").</summary>
[Alias("ecg.IClassMapGrain")]
public interface IClassMapGrain : IGrainWithStringKey
{
    /// <summary>Merges a batch's part once: false when this (record, batch) was merged before.</summary>
    Task<bool> Merge(string recordKey, long batchSequence, PartialMap partial);

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
