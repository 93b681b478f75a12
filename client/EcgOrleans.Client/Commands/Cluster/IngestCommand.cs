using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Ingestion;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary><c>ecg ingest</c>: streams records into a run, several at once, with a progress bar.</summary>
internal sealed class IngestCommand : AsyncCommand<IngestSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IngestSettings settings, CancellationToken cancellation)
    {
        if (settings.Data is null)
        {
            AnsiConsole.MarkupLine(DataSettings.NoDataHelp);
            return 2;
        }
        var source = RecordSelection.Open(settings.Data, settings.Records, settings.Split);
        await using var session = await ClusterSession.StartAsync(settings, cancellation);
        var config = await session.Grains.GetGrain<IRunGrain>(settings.Run!).Configure(settings.RunRequest());
        AnsiConsole.MarkupLineInterpolated($"run [bold]{config.Name}[/]: model {config.ModelVersion}, {config.Method} saliency of the {config.Target} class, {config.Representation} beats");

        var result = await SourceIngestion.IngestAsync(session.Grains, config.Name, source, settings.Parallel, settings.ChunkSeconds, cancellation);
        AnsiConsole.MarkupLineInterpolated($"{result.Records} records, {result.Beats:N0} beats in {result.Elapsed.TotalSeconds:F1} s: [bold]{result.BeatsPerSecond:N0} beats/s[/]");
        return 0;
    }
}
