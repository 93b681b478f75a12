namespace EcgOrleans.Ml.Checkpoints;

/// <summary>A checkpoint file that cannot be used: names the file and what was wrong with it.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null)
    : Exception($"checkpoint {path}: {problem}", inner)
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;
}
