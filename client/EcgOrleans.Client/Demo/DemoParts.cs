using System.Globalization;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using Spectre.Console;

namespace EcgOrleans.Client.Demo;

/// <summary>The pieces of <c>ecg demo</c> around its main flow: the models it compares, class counts, and their table.</summary>
internal static class DemoParts
{
    /// <summary>The bundled checkpoints compared, as in the paper: the CNN of Kachuee et al. and a deeper 1-D ResNet, both trained on DS1.</summary>
    public static IReadOnlyList<string> Models { get; } = ["kachuee-window-ds1", "resnet-window-ds1"];

    /// <summary>Both checkpoints must be there before a silo starts: a missing model would only show as an unknown-model error later.</summary>
    public static void CheckModels(string folder)
    {
        var missing = Models.Where(m => !File.Exists(Path.Combine(folder, m + ".ckpt"))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"the demo compares the checkpoints {string.Join(" and ", Models.Select(m => m + ".ckpt"))}; " +
                $"{string.Join(", ", missing.Select(m => m + ".ckpt"))} not found in {folder} (point --models at a folder that holds them)");
        }
    }

    /// <summary>A record's reference beats per AAMI class.</summary>
    public static RecordCounts Counts(string record, IEnumerable<Annotation> annotations)
    {
        var counts = Aami.Classes.ToDictionary(c => c.ToString(), _ => 0L);
        foreach (var mark in RecordBeats.Marks(annotations)) counts[mark.Reference!.Value.ToString()]++;
        return new RecordCounts(record, counts, counts.Values.Sum());
    }

    /// <summary>The run with only the maps of <paramref name="groupings"/>.</summary>
    public static RunMaps Only(RunMaps run, params ClassMapGrouping[] groupings)
    {
        var names = groupings.Select(ClassMapKey.GroupingName).ToHashSet();
        return run with { Maps = [.. run.Maps.Where(m => names.Contains(m.Key[..Math.Max(0, m.Key.IndexOf('/'))]))] };
    }

    /// <summary>"N 1,234 S 56 ...".</summary>
    public static string Classes(IReadOnlyDictionary<string, long> counts) =>
        string.Join(" ", counts.Select(c => $"{c.Key} {c.Value.ToString("#,0", CultureInfo.InvariantCulture)}"));

    public static Table CountsTable(IReadOnlyDictionary<string, long> reference, IReadOnlyList<RunMaps> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("beats per class: annotated, and predicted by each model");
        table.AddColumn("");
        foreach (var c in Aami.Classes) table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        table.AddRow(["reference", .. Aami.Classes.Select(c => reference[c.ToString()].ToString("#,0", CultureInfo.InvariantCulture))]);
        foreach (var run in runs)
        {
            var predicted = ClassCounts.Of(run.Maps, ClassMapGrouping.Predicted);
            table.AddRow([Markup.Escape(run.Name), .. Aami.Classes.Select(c => predicted[c.ToString()].ToString("#,0", CultureInfo.InvariantCulture))]);
        }
        return table;
    }
}
