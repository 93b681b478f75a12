using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Training;

/// <summary>
/// An exponential moving average of a model's weights (Polyak averaging): a second model whose weights trail
/// the trained one. Evaluated instead of the raw weights it swings far less from epoch to epoch, which is what
/// makes an epoch chosen on validation patients a good epoch for unseen ones.
/// </summary>
internal sealed class WeightAverage : IDisposable
{
    private readonly double decay;
    private readonly Tensor[] sourceParameters;
    private readonly Tensor[] averageParameters;
    private readonly Tensor[] sourceBuffers;
    private readonly Tensor[] averageBuffers;
    private long updates;

    public WeightAverage(BeatClassifier source, double decay)
    {
        this.decay = decay;
        Average = ModelFactory.Create(ModelFactory.ArchitectureOf(source), source.WaveformLength, source.RhythmFeatures, ModelFactory.MemberCountOf(source));
        Average.Standardisation = source.Standardisation;
        Copy(source, Average);
        Average.eval();
        foreach (var p in Average.parameters()) p.requires_grad = false;
        sourceParameters = [.. source.parameters()];
        averageParameters = [.. Average.parameters()];
        sourceBuffers = [.. source.buffers()];
        averageBuffers = [.. Average.buffers()];
    }

    public BeatClassifier Average { get; }

    /// <summary>Moves the average towards the current weights; early on faster (the average of few steps is young).</summary>
    public void Update()
    {
        updates++;
        var d = Math.Min(decay, (1.0 + updates) / (10.0 + updates));
        using var noGrad = no_grad();
        for (var i = 0; i < sourceParameters.Length; i++) averageParameters[i].BlendInPlace(d, sourceParameters[i], 1 - d);
        // Batch-norm statistics are already running averages: take them as they are.
        for (var i = 0; i < sourceBuffers.Length; i++) averageBuffers[i].copy_(sourceBuffers[i]);
    }

    public void Dispose() => Average.Dispose();

    internal static void Copy(BeatClassifier from, BeatClassifier to)
    {
        using var stream = new MemoryStream();
        from.save(stream);
        using var read = new MemoryStream(stream.ToArray(), writable: false);
        to.load(read);
    }
}
