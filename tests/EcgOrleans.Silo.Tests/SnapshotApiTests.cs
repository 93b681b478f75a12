using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Silo.Tests;

/// <summary>GET /api/snapshot: the page's one read per refresh.</summary>
[Collection(SiloCollection.Name)]
public sealed class SnapshotApiTests(SiloFixture silo)
{
    private static long Sum(JsonElement numbers) => numbers.EnumerateArray().Sum(n => n.GetInt64());

    [Fact]
    public async Task A_run_on_show_has_counts_that_add_up_its_beat_axis_and_its_feature_names()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(1, seconds: 30);
        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, chunkSamples: 3600);

        var snapshot = await silo.GetAsync<JsonElement>($"/api/snapshot?run={run}&compare=none&grouping=predicted");

        var view = Assert.Single(snapshot.GetProperty("views").EnumerateArray());
        Assert.Equal(run, view.GetProperty("name").GetString());
        Assert.True(view.GetProperty("consistent").GetBoolean());
        var beats = view.GetProperty("beats").GetInt64();
        var expected = HttpIngest.ClassCounts(record);
        Assert.Equal(expected.Sum(), beats);
        var classes = snapshot.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToList();
        var confusion = view.GetProperty("confusion").EnumerateArray().ToList();
        for (var r = 0; r < classes.Count; r++)
        {
            Assert.Equal(expected[r], view.GetProperty("reference").GetProperty(classes[r]).GetInt64());
            Assert.Equal(expected[r], Sum(confusion[r]));
        }
        for (var p = 0; p < classes.Count; p++)
        {
            var column = confusion.Sum(row => row[p].GetInt64()) + view.GetProperty("unlabelled")[p].GetInt64();
            Assert.Equal(view.GetProperty("predicted").GetProperty(classes[p]).GetInt64(), column);
        }
        Assert.Equal(beats, Assert.Single(snapshot.GetProperty("runs").EnumerateArray(), r => r.GetProperty("name").GetString() == run).GetProperty("beats").GetInt64());

        var axis = view.GetProperty("axis");
        Assert.Equal(("ms", BeatRepresentation.Window.SamplingFrequency, BeatRepresentation.Window.SamplesBeforeR),
            (axis.GetProperty("unit").GetString(), axis.GetProperty("samplingFrequency").GetDouble(), axis.GetProperty("samplesBeforeR").GetInt32()));
        Assert.Equal(RhythmFeatures.NamesOf(4), view.GetProperty("features").EnumerateArray().Select(f => f.GetString()!).ToList());
        var maps = view.GetProperty("maps").EnumerateArray().Select(m => m.GetProperty("key").GetString()!).ToList();
        Assert.Equal(classes.Select(c => $"predicted/{c}").ToList(), maps);
    }

    [Fact]
    public async Task An_unchanged_snapshot_is_304_and_a_new_beat_changes_its_version()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 30);
        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, chunkSamples: 3600, to: 2, flushEach: true);
        var path = $"/api/snapshot?run={run}&compare=none";

        using var first = await silo.Reader.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        var version = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString();
        Assert.Equal($"\"{version}\"", etag.Tag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        using var unchanged = await silo.Reader.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);

        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, chunkSamples: 3600, from: 2);
        using var after = new HttpRequestMessage(HttpMethod.Get, path);
        after.Headers.IfNoneMatch.Add(etag);
        using var changed = await silo.Reader.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(version, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());
    }

    [Fact]
    public async Task Unknown_runs_and_groupings_are_refused()
    {
        using var unknown = await silo.Reader.GetAsync($"/api/snapshot?run=no-such-run-{Guid.NewGuid():N}"[..40]);
        await SiloFixture.AssertProblem(unknown, HttpStatusCode.NotFound, "unknown-run");
        using var grouping = await silo.Reader.GetAsync("/api/snapshot?grouping=sideways");
        await SiloFixture.AssertProblem(grouping, HttpStatusCode.BadRequest, "invalid-argument");
        using var cls = await silo.Reader.GetAsync("/api/snapshot?grouping=cell&class=X-Y");
        await SiloFixture.AssertProblem(cls, HttpStatusCode.BadRequest, "invalid-argument");
    }
}
