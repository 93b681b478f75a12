using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

internal sealed class BeatsCommand : Command<BeatsCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--data <DIR>")]
        public string? Data { get; init; }

        [CommandOption("--split <SPLIT>")]
        public string Split { get; init; } = "all";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        if (settings.Data is null)
        {
            AnsiConsole.MarkupLine("[red]--data is required[/]");
            return 2;
        }
        var totals = new int[Aami.ClassCount];
        foreach (var record in DatasetSplits.Named(settings.Split))
        {
            foreach (var annotation in AnnotationReader.Read(settings.Data, record))
            {
                if (Aami.FromCode(annotation.Code) is { } c) totals[(int)c]++;
            }
        }
        AnsiConsole.WriteLine(string.Join(" ", Aami.Classes.Select(c => $"{c}={totals[(int)c]}")));
        return 0;
    }
}
