namespace EcgOrleans.Abstractions;

/// <summary>The names of every run, keyed "default": a run adds itself when it is created, so clients can list runs.</summary>
[Alias("ecg.IRunCatalogGrain")]
public interface IRunCatalogGrain : IGrainWithStringKey
{
    /// <summary>Adds a run's name; adding it again changes nothing.</summary>
    Task Add(string run);

    /// <summary>Run names in ordinal order.</summary>
    Task<IReadOnlyList<string>> List();
}
