using System.Globalization;
using EcgOrleans.Signal.Databases;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg fetch</c>: downloads a PhysioNet database, or some of its records, with a progress bar
/// (<see cref="PhysioNetFetcher"/>): every file verified against SHA256SUMS.txt, files already in place kept,
/// an interrupted download resumed.
/// </summary>
internal sealed class FetchCommand : AsyncCommand<FetchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, FetchSettings settings, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("EcgOrleans-fetch/1.0");
        var fetcher = new PhysioNetFetcher(http);
        var options = new FetchOptions { Records = settings.RecordList };
        AnsiConsole.MarkupLineInterpolated($"fetching {settings.Title} from {settings.Url} into {Path.GetFullPath(settings.Out!)}");

        // A file that cannot be had or does not verify ends the fetch with an error naming it (PhysioNetFetchException).
        var result = AnsiConsole.Profile.Capabilities.Interactive
            ? await WithProgressBarAsync(fetcher, settings, options, cancellation)
            : await fetcher.FetchAsync(settings.Url, settings.Out!, options, new FetchLines().Report, cancellation);

        var present = result.Files.Count(f => f.Outcome == FetchOutcome.AlreadyPresent);
        var resumed = result.Files.Count(f => f.Outcome == FetchOutcome.Resumed);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Files.Count} files verified against SHA256SUMS.txt ({result.Records.Count} records) in {result.Directory}: " +
            $"{result.BytesDownloaded / 1e6:0.0} MB downloaded, {present} already present, {resumed} resumed, in {result.Elapsed.TotalSeconds:0.0} s")));
        return 0;
    }

    private static async Task<FetchResult> WithProgressBarAsync(PhysioNetFetcher fetcher, FetchSettings settings, FetchOptions options, CancellationToken cancellation)
    {
        FetchResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("SHA256SUMS.txt", maxValue: 1);
                task.IsIndeterminate = true;
                result = await fetcher.FetchAsync(settings.Url, settings.Out!, options, p =>
                {
                    task.Description = Markup.Escape($"{p.FilesDone}/{p.FilesTotal} files  {p.File}");
                    if (p.BytesTotal is { } total)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = Math.Max(1, total);
                    }
                    task.Value = p.BytesDone;
                }, cancellation);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Progress in a log: a line at every tenth of the files, not one per refresh.</summary>
    private sealed class FetchLines
    {
        private int _printed = -1;

        public void Report(FetchProgress p)
        {
            var tenth = p.FilesTotal == 0 ? 10 : p.FilesDone * 10 / p.FilesTotal;
            if (Interlocked.Exchange(ref _printed, tenth) == tenth) return;
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  {p.FilesDone}/{p.FilesTotal} files, {p.BytesDone / 1e6:0.0}{(p.BytesTotal is { } t ? $" of {t / 1e6:0.0}" : "")} MB")));
        }
    }
}
