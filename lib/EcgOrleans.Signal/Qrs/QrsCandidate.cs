namespace EcgOrleans.Signal.Qrs;

/// <summary>A local maximum of the integrated feature signal: perhaps a QRS complex, perhaps a T wave or noise.</summary>
/// <param name="Peak">Sample of the maximum of the integrated signal.</param>
/// <param name="Energy">Value of the integrated signal there.</param>
/// <param name="Slope">Largest absolute derivative of the band-passed lead within the integration window before the peak.</param>
/// <param name="R">Where the R peak of the complex would be, in the lead.</param>
internal readonly record struct QrsCandidate(long Peak, double Energy, double Slope, long R)
{
    public void Save(BinaryWriter writer)
    {
        writer.Write(Peak);
        writer.Write(Energy);
        writer.Write(Slope);
        writer.Write(R);
    }

    public static QrsCandidate Load(BinaryReader reader) => new(reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64());
}
