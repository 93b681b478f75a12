using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.Client.Tests;

public sealed class MapsJsonTests
{
    private static JsonElement Serialize(MapsReport report) =>
        JsonDocument.Parse(JsonSerializer.Serialize(report, JsonOutput.Options)).RootElement;

    [Fact]
    public void One_run_lists_its_config_and_maps_with_waveform_and_rhythm_apart()
    {
        var run = Maps.Run("r1", Maps.Window("reference/V", 42, peak: 120, rhythmSaliency: 0.05f));

        var json = Serialize(MapsReport.Of(run));

        var r = Assert.Single(json.GetProperty("runs").EnumerateArray());
        Assert.Equal("r1", r.GetProperty("name").GetString());
        Assert.Equal("kachuee-window-ds1@1", r.GetProperty("model").GetString());
        Assert.Equal("window", r.GetProperty("representation").GetString());
        Assert.Equal(256, r.GetProperty("waveformLength").GetInt32());
        var map = Assert.Single(r.GetProperty("maps").EnumerateArray());
        Assert.Equal("reference/V", map.GetProperty("key").GetString());
        Assert.Equal("reference", map.GetProperty("grouping").GetString());
        Assert.Equal("V", map.GetProperty("class").GetString());
        Assert.Equal(42, map.GetProperty("count").GetInt64());
        Assert.Equal(256, map.GetProperty("beat").GetProperty("mean").GetArrayLength());
        Assert.Equal(256, map.GetProperty("beat").GetProperty("sd").GetArrayLength());
        Assert.Equal(256, map.GetProperty("saliency").GetProperty("mean").GetArrayLength());
        Assert.Equal(256, map.GetProperty("saliency").GetProperty("sd").GetArrayLength());
        Assert.Equal(["pre-RR/avg", "post-RR/avg", "local-RR/avg", "avg-RR (s)"],
            map.GetProperty("rhythm").GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(4, map.GetProperty("rhythm").GetProperty("saliencyMean").GetArrayLength());
        // The saliency peaks 24 samples after the R peak (sample 96) at 360 Hz: 66.7 ms.
        Assert.Equal(66.7, map.GetProperty("peakSaliencyMs").GetDouble(), 1);
        Assert.InRange(map.GetProperty("rhythmShare").GetDouble(), 0.001, 0.2);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("differences").ValueKind);
    }

    [Fact]
    public void Maps_carry_the_saliency_share_of_the_P_QRS_and_T_windows()
    {
        // A Gaussian of width 6 samples at R (sample 96): all but a negligible tail lies in the QRS window (±21 samples).
        var atR = Maps.Run("r1", Maps.Window("reference/V", 5, peak: 96));
        // At R + 250 ms (sample 186 at 360 Hz), well inside the T window (samples 140–240).
        var atT = Maps.Run("r2", Maps.Window("reference/V", 5, peak: 186));

        var qrs = Waves(Serialize(MapsReport.Of(atR)));
        var t = Waves(Serialize(MapsReport.Of(atT)));

        Assert.Equal(["P", "QRS", "T"], qrs.Select(w => w.GetProperty("wave").GetString()));
        Assert.Equal([-250.0, -60, 120], qrs.Select(w => w.GetProperty("startMs").GetDouble()));
        Assert.True(qrs[1].GetProperty("share").GetDouble() > 0.99, "a map peaking at R should sit in the QRS window");
        Assert.True(qrs[0].GetProperty("share").GetDouble() < 0.001);
        Assert.True(t[2].GetProperty("share").GetDouble() > 0.99, "a map peaking at R + 250 ms should sit in the T window");
        Assert.Equal(43.0 / 256, qrs[1].GetProperty("evenShare").GetDouble(), 5);
    }

    private static List<JsonElement> Waves(JsonElement report) =>
        [.. report.GetProperty("runs")[0].GetProperty("maps")[0].GetProperty("waves").EnumerateArray()];

    [Fact]
    public void Two_runs_add_one_difference_per_class_map_of_either()
    {
        var first = Maps.Run("a", Maps.Window("reference/N", 100, peak: 96), Maps.Window("reference/V", 10, peak: 100));
        var second = Maps.Run("b", Maps.Window("reference/N", 100, peak: 110, run: "b"));

        var json = Serialize(MapsReport.Of(first, second));

        Assert.Equal(["a", "b"], json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var differences = json.GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(["reference/N", "reference/V"], differences.Select(d => d.GetProperty("key").GetString()));
        Assert.Equal(256, differences[0].GetProperty("saliencyDifference").GetArrayLength());
        Assert.Equal(4, differences[0].GetProperty("rhythmSaliencyDifference").GetArrayLength());
        Assert.True(differences[0].GetProperty("meanAbsoluteSaliencyDifference").GetDouble() > 0);
        Assert.Equal("only in the first run", differences[1].GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, differences[1].GetProperty("saliencyDifference").ValueKind);
    }

    [Fact]
    public void Class_counts_add_up_each_grouping_in_AAMI_order()
    {
        var maps = new[]
        {
            Maps.View("reference/N", 7, [1]), Maps.View("reference/V", 2, [1]), Maps.View("predicted/N", 9, [1]),
            Maps.View("cell/N-N", 7, [1]), Maps.View("cell/V-N", 2, [1]),
        };

        Assert.Equal(new Dictionary<string, long> { ["N"] = 7, ["S"] = 0, ["V"] = 2, ["F"] = 0, ["Q"] = 0 }, ClassCounts.Of(maps, ClassMapGrouping.Reference));
        Assert.Equal(new Dictionary<string, long> { ["N"] = 9, ["S"] = 0, ["V"] = 0, ["F"] = 0, ["Q"] = 0 }, ClassCounts.Of(maps, ClassMapGrouping.Predicted));
        Assert.Equal(["N", "S", "V", "F", "Q"], ClassCounts.Of(maps, ClassMapGrouping.Reference).Keys);
    }
}
