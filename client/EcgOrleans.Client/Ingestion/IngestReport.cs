using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Client.Ingestion;

/// <summary>
/// What <c>ecg ingest --out DIR</c> writes to DIR/report.json: the run's beats per class by reference and by prediction,
/// the confusion matrix, the refused records and the maps as <c>ecg maps --json</c> prints them.
/// </summary>
/// <param name="Confusion">Beats per (reference, predicted) class pair: rows reference, columns predicted, N S V F Q.</param>
/// <param name="Files">The files written, relative to DIR.</param>
internal sealed record IngestReport(
    string Run, string Dataset, int Records, long Beats, double Seconds, double BeatsPerSecond,
    IReadOnlyDictionary<string, long> ReferenceCounts, IReadOnlyDictionary<string, long> PredictedCounts, long[][] Confusion,
    IReadOnlyList<RefusedRecord> Refused, MapsReport Maps, IReadOnlyList<string> Files)
{
    public const string FileName = "report.json";

    private static readonly MapSelection Cells = new(ClassMapGrouping.Cell, null);

    /// <summary>Writes report.json and a PNG per reference and predicted map (in DIR/&lt;run&gt;/); returns the report.</summary>
    public static IngestReport Write(string directory, string dataset, RunMaps run, SourceIngestion.Summary ingest, IReadOnlyList<RefusedRecord> refused)
    {
        var output = Directory.CreateDirectory(directory).FullName;
        // A PNG per reference and predicted map; the up to 25 confusion cells stay in the JSON.
        var plotted = run with { Maps = [.. run.Maps.Where(m => !Cells.Matches(m.Key))] };
        var files = MapPlots.SaveAll(plotted, null, output);
        var report = new IngestReport(run.Name, dataset, ingest.Records, ingest.Beats, Math.Round(ingest.Elapsed.TotalSeconds, 3), Math.Round(ingest.BeatsPerSecond, 1),
            ClassCounts.Of(run.Maps, ClassMapGrouping.Reference), ClassCounts.Of(run.Maps, ClassMapGrouping.Predicted), ConfusionOf(run.Maps),
            refused, MapsReport.Of(run), [FileName, .. files.Select(f => Path.GetRelativePath(output, f))]);
        File.WriteAllText(Path.Combine(output, FileName), JsonSerializer.Serialize(report, JsonOutput.Options));
        return report;
    }

    /// <summary>The confusion matrix the run's confusion-cell maps count.</summary>
    private static long[][] ConfusionOf(IEnumerable<Abstractions.ClassMapView> maps)
    {
        var rows = Aami.Classes.Select(_ => new long[Aami.ClassCount]).ToArray();
        foreach (var map in maps.Where(m => Cells.Matches(m.Key)))
        {
            var key = ClassMapKey.Parse(map.Key);
            rows[(int)key.Reference!.Value][(int)key.Predicted!.Value] += map.Count;
        }
        return rows;
    }
}
