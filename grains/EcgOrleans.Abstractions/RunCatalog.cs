namespace EcgOrleans.Abstractions;

/// <summary>The names of every run, keyed "default": a run adds itself when it is created, so clients can list runs.</summary>
[Alias("ecg.IRunCatalogGrain")]
public interface IRunCatalogGrain : IGrainWithStringKey
{
    /// <summary>Adds a run's name; adding it again changes nothing.</summary>
    Task Add(string run);

    /// <summary>Whether a run of this name was created: lets a read of an unknown run be refused without activating a run grain.</summary>
    Task<bool> Contains(string run);

    /// <summary>Run names in ordinal order.</summary>
    Task<IReadOnlyList<string>> List();
}
