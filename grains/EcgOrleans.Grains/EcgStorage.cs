namespace EcgOrleans.Grains;

/// <summary>Names of the grain storage providers (memory by default, Redis in a cluster).</summary>
public static class EcgStorage
{
    public const string Name = "ecg";
}
