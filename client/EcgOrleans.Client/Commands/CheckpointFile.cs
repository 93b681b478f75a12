using System.Globalization;
using EcgOrleans.Ml.Checkpoints;
using Spectre.Console;

namespace EcgOrleans.Client.Commands;

/// <summary>What the commands that read a checkpoint file share: loading it with a clear error, and showing its bias.</summary>
internal static class CheckpointFile
{
    /// <summary>The loaded checkpoint, or null after printing why the file is not one.</summary>
    public static LoadedCheckpoint? LoadOrReport(string path)
    {
        try
        {
            return Checkpoint.Load(path);
        }
        catch (CheckpointException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return null;
        }
    }

    /// <summary>A decision bias as "[0.00, 0.00, 2.05, 0.00, 0.00]".</summary>
    public static string FormatBias(IEnumerable<float> bias) =>
        $"[{string.Join(", ", bias.Select(b => b.ToString("0.00", CultureInfo.InvariantCulture)))}]";
}
