using EcgOrleans.Abstractions;
using EcgOrleans.Ml.ClassMaps;
using Microsoft.Net.Http.Headers;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Silo.Api;

/// <summary>The web page's one read per refresh: <see cref="PageSnapshot"/>.</summary>
public static class SnapshotEndpoints
{
    /// <summary>Reads of a run's maps before a snapshot gives up waiting for a batch to reach all of them.</summary>
    private const int ConsistentReadAttempts = 10;

    private static readonly TimeSpan RereadAfter = TimeSpan.FromMilliseconds(25);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/snapshot", Get).WithTags("Runs").RequireAuthorization(ApiPolicies.Read)
            .Produces<PageSnapshot>().Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("What the web page shows, at one moment")
            .WithDescription("Every run with its beat count, and for run (and compare) their records, class counts, confusion matrix, " +
                "beat axis, rhythm-feature names and the class maps of ?grouping=reference|predicted|cell (and ?class=). Without run, " +
                "the two newest runs of different models; compare=none shows one run. Every count comes from one read of the maps, " +
                "so they add up. The ETag is the version: send it in If-None-Match to get 304 while nothing changed.");
    }

    private static async Task<IResult> Get(HttpContext http, IGrainFactory grains, string? run, string? compare, string? grouping, string? @class)
    {
        var (group, cls) = CheckSelection(grouping, @class);
        var names = await grains.GetGrain<IRunCatalogGrain>(GrainKeys.RunCatalog).List();
        var infos = await Task.WhenAll(names.Select(n => grains.GetGrain<IRunGrain>(n).GetInfo()));
        var listed = Listing(infos);
        var selected = Selection(listed, run, compare);

        var views = await Task.WhenAll(selected.Select(name => ReadView(grains, infos.First(i => i.Config.Name == name), group, cls)));
        // A run on show is listed with its view's count, so the list and the cards agree; the others with their predicted maps' counts.
        var runs = await Task.WhenAll(listed.Select(async r => views.FirstOrDefault(v => v.Name == r.Name) is { } v
            ? r with { Beats = v.Beats }
            : r with { Beats = (await Task.WhenAll(Snapshots.PredictedKeys.Select(k => grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(r.Name, k)).Get()))).Sum(m => m.Count) }));
        var version = Snapshots.VersionOf($"{run}|{compare}|{group.Name}|{cls}", runs, views);

        var etag = $"\"{version}\"";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(new PageSnapshot(version, DateTimeOffset.UtcNow, Snapshots.ClassNames, runs, views));
    }

    /// <summary>Every run, newest first (beat counts still to read).</summary>
    private static List<RunListing> Listing(IEnumerable<RunInfo> infos) =>
        [.. infos.Select(i => new RunListing(i.Config.Name, i.Config.ModelVersion, i.Config.Method, i.Config.Representation, i.Config.Created, 0))
            .OrderByDescending(r => r.Created).ThenBy(r => r.Name, StringComparer.Ordinal)];

    /// <summary>The runs to show: run and compare as asked (compare=none: run alone), else the defaults; unknown names are 404.</summary>
    private static IReadOnlyList<string> Selection(IReadOnlyList<RunListing> listed, string? run, string? compare)
    {
        var known = listed.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in new[] { run, compare is "none" ? null : compare })
        {
            if (name is not null && !known.Contains(name))
                throw new EcgRequestException(Codes.UnknownRun, $"unknown run '{name}'");
        }
        if (run is null) return Snapshots.DefaultSelection(listed, null);
        if (compare is null) return Snapshots.DefaultSelection(listed, run);
        return compare == "none" || compare == run ? [run] : [run, compare];
    }

    private static async Task<RunView> ReadView(IGrainFactory grains, RunInfo info, ClassMapGrouping grouping, string? @class)
    {
        var name = info.Config.Name;
        ClassMapView[] maps = [];
        var consistent = false;
        for (var attempt = 0; attempt < ConsistentReadAttempts && !consistent; attempt++)
        {
            if (attempt > 0) await Task.Delay(RereadAfter);
            maps = await Task.WhenAll(Snapshots.AllMapKeys.Select(k => grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(name, k)).Get()));
            consistent = Snapshots.IsConsistent(maps.ToDictionary(m => m.Key, m => m.Count, StringComparer.Ordinal));
        }
        return Snapshots.View(info, maps, consistent, grouping, @class);
    }

    /// <summary>The grouping asked for (reference when none) and the class in its one spelling.</summary>
    private static (ClassMapGrouping Grouping, string? Class) CheckSelection(string? grouping, string? @class)
    {
        var group = grouping is null ? ClassMapGrouping.Reference : ParseArgument(ClassMapGrouping.Parse, grouping);
        if (string.IsNullOrEmpty(@class)) return (group, null);
        var key = ParseArgument(ClassMapKey.Parse, $"{group.Name}/{@class}").ToString();
        return (group, key[(key.IndexOf('/') + 1)..]);
    }
}
