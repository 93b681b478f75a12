using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// 1-D convolutions and max-pools run as 2-D ones over [B, C, 1, L] in channels-last memory order. Tensors keep
/// their [B, C, L] shape and only their memory order changes (the channel stride is 1), so a model's function,
/// parameters and checkpoints stay those of its 1-D layers. Why: LibTorch 2.10 on CPU hands channels-last 2-D
/// convolutions to oneDNN kernels that vectorise over channels, and its max-pool with indices (what a backward
/// pass needs) has a channels-last kernel much faster than its 1-D one, so a saliency pass takes markedly less
/// time this way (figures in bench/README.md, "The two changes, and how they were found").
/// </summary>
internal static class ChannelsLast1d
{
    /// <summary>The same [B, C, L] values with the channel stride 1 (one copy).</summary>
    public static Tensor From(Tensor x) => x.transpose(1, 2).contiguous().transpose(1, 2);

    /// <summary><paramref name="conv"/>'s own weights and bias applied as a [1, K] 2-D convolution.</summary>
    public static Tensor Conv(Conv1d conv, Tensor x, long padding, long stride = 1) =>
        nn.functional.conv2d(x.unsqueeze(2), conv.weight!.unsqueeze(2), conv.bias, strides: [1, stride], padding: [0, padding]).squeeze(2);

    /// <summary>
    /// <paramref name="norm"/>'s statistics and affine weights applied over [B, C, 1, L] (BatchNorm1d itself would
    /// return channel-major memory). In training it updates the running statistics as the layer does, but not the
    /// layer's batch counter, which only matters to a layer without a momentum.
    /// </summary>
    public static Tensor BatchNorm(BatchNorm1d norm, Tensor x) =>
        nn.functional.batch_norm(x.unsqueeze(2), norm.running_mean, norm.running_var, norm.weight, norm.bias,
            norm.training, norm.momentum ?? 0.1, norm.eps).squeeze(2);

    public static Tensor MaxPool(Tensor x, long kernel, long stride, bool ceilMode = false) =>
        nn.functional.max_pool2d(x.unsqueeze(2), [1, kernel], [1, stride], ceil_mode: ceilMode).squeeze(2);
}
