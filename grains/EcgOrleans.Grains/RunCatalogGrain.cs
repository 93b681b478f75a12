using EcgOrleans.Abstractions;

namespace EcgOrleans.Grains;

[GenerateSerializer, Alias("ecg.RunCatalogState")]
public sealed class RunCatalogState
{
    [Id(0)] public SortedSet<string> Runs { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The cluster's run names ("default"), written by run grains when they are created.</summary>
public sealed class RunCatalogGrain(
    [PersistentState("runs", EcgStorage.Name)] IPersistentState<RunCatalogState> state) : Grain, IRunCatalogGrain
{
    public async Task Add(string run)
    {
        GrainKeys.CheckPart(run, nameof(run));
        if (!state.State.Runs.Add(run)) return;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Runs.Remove(run); // not durable: the run grain adds it again when its creation is retried
            throw;
        }
    }

    public Task<bool> Contains(string run) => Task.FromResult(state.State.Runs.Contains(run));

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Runs]);
}
