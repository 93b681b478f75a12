using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// Several trained models of one architecture used as one: the logits are the members' mean logits, so the
/// decision is that of their geometric-mean probabilities. Models trained from different seeds disagree most on
/// the patients none of them saw, and their average varies less from run to run than any one of them.
/// <para>
/// The feature maps are the members' maps side by side on the channel axis [B, M·C, T]. Grad-CAM over them is
/// ReLU of the mean of the members' Grad-CAM sums, since each member's channels get 1/M of its logit's gradient.
/// Every gradient-based saliency method works unchanged, at M times the cost of one member.
/// </para>
/// </summary>
public sealed class BeatEnsemble : BeatClassifier
{
    /// <summary>Most members an ensemble (and a checkpoint) may hold: each costs a full forward and backward pass.</summary>
    public const int MaxMembers = 16;

    private readonly ModuleList<BeatClassifier> members;

    public BeatEnsemble(IReadOnlyList<BeatClassifier> members)
        : base(nameof(BeatEnsemble), FirstOf(members).WaveformLength, FirstOf(members).RhythmFeatures)
    {
        if (members.Count is < 2 or > MaxMembers)
            throw new ArgumentException($"an ensemble holds 2 to {MaxMembers} models, not {members.Count}", nameof(members));
        MemberArchitecture = ModelFactory.ArchitectureOf(members[0]);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            // Throws for a model ModelFactory does not build; the architectures it builds all split at their feature maps.
            var architecture = ModelFactory.ArchitectureOf(member);
            if (architecture != MemberArchitecture || member.WaveformLength != WaveformLength || member.RhythmFeatures != RhythmFeatures)
                throw new ArgumentException(
                    $"ensemble member {i + 1} is a {architecture} model of {member.WaveformLength} samples with {member.RhythmFeatures} rhythm features; " +
                    $"member 1 is a {MemberArchitecture} model of {WaveformLength} samples with {RhythmFeatures}", nameof(members));
            if (!FeatureStandardisation.Same(member.Standardisation, members[0].Standardisation))
                throw new ArgumentException($"ensemble member {i + 1} standardises its features otherwise than member 1", nameof(members));
            // A member's own decision bias would be lost: the ensemble decides on the mean of the raw logits.
            if (member.HasDecisionBias)
                throw new ArgumentException($"ensemble member {i + 1} carries a decision bias; combine uncalibrated models and calibrate the ensemble", nameof(members));
        }
        this.members = new ModuleList<BeatClassifier>([.. members]);
        RegisterComponents();
    }

    /// <summary>The architecture every member has ("kachuee" or "resnet").</summary>
    public string MemberArchitecture { get; }

    public int MemberCount => members.Count;

    /// <summary>The members' (one for all: each applies it in its own head).</summary>
    public override FeatureStandardisation? Standardisation
    {
        get => members[0].Standardisation;
        set
        {
            foreach (var member in members) member.Standardisation = value;
        }
    }

    public override (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm)
    {
        ModelInput.Validate(this, waveform, rhythm);
        var maps = new Tensor[members.Count];
        for (var i = 0; i < members.Count; i++) maps[i] = Split(i).FeatureMaps(waveform);
        // Each head reads its slice of the joined maps, so gradients with respect to them (Grad-CAM's) exist.
        var features = cat(maps, 1);
        var channels = maps[0].shape[1];
        var logits = new Tensor[members.Count];
        for (var i = 0; i < members.Count; i++) logits[i] = Split(i).Head(features.narrow(1, i * channels, channels), rhythm);
        return (stack(logits).mean([0]), features);
    }

    private ISplitAtFeatureMaps Split(int member) => (ISplitAtFeatureMaps)members[member];

    private static BeatClassifier FirstOf(IReadOnlyList<BeatClassifier> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException($"an ensemble holds 2 to {MaxMembers} models, not 0", nameof(members));
        return members[0];
    }
}
