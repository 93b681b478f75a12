using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using Spectre.Console;

namespace EcgOrleans.Client.Checkpoints;

/// <summary>What the commands that read or write a checkpoint file share: loading it with a clear error, its own split, the command line.</summary>
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

    /// <summary>
    /// The MIT-BIH beats of the checkpoint's own protocol as it was trained: its representation and features, split
    /// with its own validation records, so validation and test figures are measured on what its metadata names.
    /// </summary>
    public static ProtocolSplit OwnSplit(string data, CheckpointMetadata metadata, SplitProtocol protocol)
    {
        var beats = MitBihBeats.Load(data, Protocols.Records(protocol), BeatRepresentation.Parse(metadata.Representation), metadata.RhythmFeatureCount);
        return Protocols.Split(protocol, beats, protocol == SplitProtocol.Inter ? metadata.ValidationRecords : null);
    }

    /// <summary>This process's command line as "ecg ...": what a written checkpoint records it was made by. Argument 0 is the program; the rest starts with the command name.</summary>
    public static string CommandLine() => "ecg " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1));
}
