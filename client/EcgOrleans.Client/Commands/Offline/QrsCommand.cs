using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Qrs;
using EcgOrleans.Signal.Qrs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg qrs</c>: runs the QRS detector over records' primary lead and scores it beat by beat against their
/// reference annotations as bxb does (ANSI/AAMI EC57): Se and +P per record and gross.
/// </summary>
internal sealed class QrsCommand : Command<QrsSettings>
{
    internal const string NoDataHelp =
        "[yellow]No data given.[/] Point [bold]--data[/] at a folder of WFDB records with reference annotations, for example the MIT-BIH Arrhythmia Database:\n" +
        RecordOptions.MitBihDownload +
        "  ecg qrs --data mitdb\n" +
        "or score the detector on the bundled synthetic records: [bold]ecg qrs --synthetic[/]";

    public override int Execute(CommandContext context, QrsSettings settings, CancellationToken cancellation)
    {
        if (!settings.HasData)
        {
            AnsiConsole.MarkupLine(NoDataHelp);
            return 2;
        }

        var source = settings.Open();
        var options = BeatComparisonOptions.Standard with { StartSeconds = settings.Start };
        var refusals = new RecordRefusals(settings.KeepGoing);
        var report = QrsScoring.Evaluate(source, options, refusals, cancellation);
        if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOutput.Options));
        else QrsTable.Print(report);
        return refusals.Report(source.Records.Count, settings.Json);
    }
}
