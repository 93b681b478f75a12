using EcgOrleans.Ml.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>The gradient of the selected logits with respect to the model's inputs, for a whole batch in one pass.</summary>
internal static class InputGradients
{
    /// <summary>
    /// One forward and one backward pass: d(sum over rows of logit[row, target[row]]) / d(input). Since each
    /// row's logit depends only on its own input, the gradient of the sum gives every row's own gradient.
    /// </summary>
    /// <param name="targetsFor">Chooses the target of every row from the (detached) logits.</param>
    /// <returns>Logits [N, 5] (detached), targets [N] and the gradients [N, 1, L] and [N, R].</returns>
    public static (Tensor Logits, Tensor Targets, Tensor Waveform, Tensor Rhythm) Of(
        BeatClassifier model, Tensor waveform, Tensor rhythm, Func<Tensor, Tensor> targetsFor)
    {
        using var gradMode = enable_grad();
        var w = waveform.detach().requires_grad_();
        var r = rhythm.detach().requires_grad_(rhythm.shape[1] > 0);
        var logits = model.forward(w, r);
        var targets = targetsFor(logits.detach());
        var selected = SelectedLogitSum(logits, targets);
        var (gw, gr) = Gradient(selected, w, r);
        return (logits.detach(), targets, gw, gr);
    }

    public static Tensor SelectedLogitSum(Tensor logits, Tensor targets) =>
        logits.gather(1, targets.unsqueeze(1)).sum();

    /// <summary>Gradients of a scalar with respect to an input (waveform or feature maps) and the rhythm features (zeros when R is 0).</summary>
    public static (Tensor Input, Tensor Rhythm) Gradient(Tensor scalar, Tensor input, Tensor rhythm)
    {
        if (rhythm.shape[1] == 0)
        {
            var onlyWaveform = torch.autograd.grad([scalar], [input]);
            return (onlyWaveform[0], zeros_like(rhythm));
        }
        var both = torch.autograd.grad([scalar], [input, rhythm]);
        return (both[0], both[1]);
    }

    /// <summary>Splits a number of copies of a batch into chunks of at most <paramref name="maxRows"/> rows (at least one copy each).</summary>
    public static IEnumerable<(int Start, int Count)> CopyChunks(int copies, long batch, int maxRows)
    {
        var perChunk = (int)Math.Max(1, maxRows / Math.Max(1, batch));
        for (var start = 0; start < copies; start += perChunk)
            yield return (start, Math.Min(perChunk, copies - start));
    }
}
