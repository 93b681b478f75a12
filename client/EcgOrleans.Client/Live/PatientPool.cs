using EcgOrleans.Signal.Sources;

namespace EcgOrleans.Client.Live;

/// <summary>
/// The recordings a fleet of monitors replays, loaded or synthesised once: monitor i plays patient i mod P from an
/// offset that grows with i / P, so that monitors sharing a patient are at different places in it. Making a chunk is
/// then a copy, which keeps thousands of monitors cheap for the client.
/// </summary>
internal sealed class PatientPool
{
    public const int DefaultPatients = 8;
    public const double DefaultSeconds = 300;

    // Samples between the starting points of successive monitors of one patient: prime, so that they spread over
    // the loop rather than fall on a few positions.
    internal const long OffsetStep = 7919;

    public PatientPool(IReadOnlyList<PatientLoop> patients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patients.Count, 1);
        Patients = patients;
    }

    public IReadOnlyList<PatientLoop> Patients { get; }

    /// <summary>Synthetic patients s001, s002, ... of a seed (the synthetic database's), <paramref name="seconds"/> long each.</summary>
    public static PatientPool Synthetic(int seed, int patients = DefaultPatients, double seconds = DefaultSeconds) =>
        FromSource(new SyntheticSource(seed, patients, seconds), patients);

    /// <summary>The first <paramref name="patients"/> records of a source (a WFDB folder, e.g. MIT-BIH).</summary>
    public static PatientPool FromSource(IRecordSource source, int patients)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patients, 1);
        var names = source.Records.Take(patients).ToList();
        if (names.Count == 0) throw new InvalidOperationException($"{source.Dataset}: no records to replay");
        return new PatientPool([.. names.AsParallel().AsOrdered().Select(name => PatientLoop.Of(source.Load(name)))]);
    }

    /// <summary>The loop monitor <paramref name="monitor"/> (from 0) plays, and where in it the monitor's chunk 0 starts.</summary>
    public (PatientLoop Patient, long Offset) Assign(int monitor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(monitor);
        var patient = Patients[monitor % Patients.Count];
        return (patient, monitor / Patients.Count * OffsetStep % patient.Length);
    }
}
