using System.Text.Json;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary><c>ecg maps</c>: a run's class maps now, as a table, JSON or PNGs; two runs side by side with --compare.</summary>
internal sealed class MapsCommand : AsyncCommand<MapsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, MapsSettings settings, CancellationToken cancellation)
    {
        await using var session = await ClusterSession.StartAsync(settings, cancellation);
        var selection = settings.Selection;
        var first = await RunMaps.ReadAsync(session.Grains, settings.Run!, selection, cancellation);
        var second = settings.Compare is { } other ? await RunMaps.ReadAsync(session.Grains, other, selection, cancellation) : null;

        if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(MapsReport.Of(first, second), JsonOutput.Options));
        else AnsiConsole.Write(second is null ? MapTables.Single(first, settings.SparklineWidth(false), MapTables.ConsoleHasColour) : MapTables.Compare(first, second, settings.SparklineWidth(true), MapTables.ConsoleHasColour));

        if (settings.Png is { } directory)
        {
            var files = MapPlots.SaveAll(first, second, directory);
            // With --json, stdout holds the JSON alone.
            var note = $"{files.Count} PNG files in {Path.GetFullPath(directory)}";
            if (settings.Json) Console.Error.WriteLine(note);
            else AnsiConsole.MarkupLineInterpolated($"[green]{note}[/]");
        }
        return 0;
    }
}
