using EcgOrleans.Abstractions;
using EcgOrleans.Ml.Saliency;

namespace EcgOrleans.Grains;

/// <summary>
/// Typed reads of a run's analysis. <see cref="RunConfig"/> keeps the method and target as names, on the wire and in
/// stored runs; <see cref="RunGrain.Configure"/> admits only names these read back.
/// </summary>
public static class RunAnalysis
{
    public static SaliencyMethodKind SaliencyMethod(this RunConfig config) => SaliencyMethods.Parse(config.Method);

    public static SaliencyTarget SaliencyTarget(this RunConfig config) => Ml.Saliency.SaliencyTarget.Parse(config.Target);
}
