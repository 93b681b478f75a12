using EcgOrleans.Abstractions;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Silo.Live;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Silo.Api;

/// <summary>Runs, their records (chunk ingestion), their class maps and the live stream of class-map updates.</summary>
public static class RunEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapGet("/", ListRuns).RequireAuthorization(ApiPolicies.Read)
            .WithSummary("List runs").WithDescription("Every run of the cluster with its model, progress and number of class maps.");
        runs.MapPut("/{run}", CreateRun).RequireAuthorization(ApiPolicies.Write)
            .Accepts<CreateRunRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Create or confirm a run")
            .WithDescription("Fixes the run's model version, saliency method and target. 201 when created; 200 when the run exists with the same analysis; 409 run-conflict when it exists with another.");
        runs.MapGet("/{run}", GetRun).RequireAuthorization(ApiPolicies.Read).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A run with its progress").WithDescription("Configuration, every record's progress (chunks, samples, beats scored, done) and the class maps the run has.");
        runs.MapGet("/{run}/records/{dataset}/{record}", GetRecord).RequireAuthorization(ApiPolicies.Read).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A record's progress").WithDescription("Where an interrupted sender resumes: nextSequence is the chunk the record expects.");
        runs.MapPost("/{run}/records/{dataset}/{record}/chunks", AppendChunk).RequireAuthorization(ApiPolicies.Write)
            .Accepts<ChunkRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Append a signal chunk to a record")
            .WithDescription("Chunks are numbered from 0 and applied once, in order. A chunk sent twice or ahead of its turn is refused with 409 chunk-out-of-order and expectedSequence, the chunk to send next; nothing of a refused chunk is applied.");
        runs.MapGet("/{run}/maps", ListMaps).RequireAuthorization(ApiPolicies.Read).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The run's class maps, without curves").WithDescription("Beat counts per class map; the cell/* maps are the confusion matrix. Filter with ?grouping=reference|predicted|cell.");
        runs.MapGet("/{run}/maps/{grouping}/{class}", GetMap).RequireAuthorization(ApiPolicies.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One class map").WithDescription("Average beat and average saliency with their standard deviations (waveform values first, then rhythm features) and the beat count. grouping: reference, predicted or cell; class: N, S, V, F, Q, or reference-predicted for a cell (V-N).");
        runs.MapGet("/{run}/maps/stream", StreamMaps).RequireAuthorization(ApiPolicies.Read)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Live class-map updates (server-sent events)")
            .WithDescription("First a 'run' event (RunInfo) and a 'map' event (ClassMapView) per class map, then a 'map' event whenever a map changes (at most a few per second per map), a 'run' event when progress changes and a 'heartbeat' every 15 s. Optional ?grouping=reference|predicted|cell.");

        // The page's read of runs and their maps at one moment; it belongs with the runs.
        SnapshotEndpoints.Map(app);
    }

    private static IRunGrain Run(IGrainFactory grains, string run) => grains.GetGrain<IRunGrain>(GrainKeys.CheckPart(run, "run"));

    /// <summary>
    /// The grain of a run the catalog lists. Reads are anonymous by default: asking the catalog first means a read of a
    /// made-up name activates no run grain (nor loads its state), however many names are tried.
    /// </summary>
    private static async Task<IRunGrain> KnownRun(IGrainFactory grains, string run)
    {
        var grain = Run(grains, run);
        if (!await grains.GetGrain<IRunCatalogGrain>(GrainKeys.RunCatalog).Contains(run))
            throw new EcgRequestException(Codes.UnknownRun, $"unknown run '{run}': create it first (ecg ingest --run {run} --model ...)");
        return grain;
    }

    private static async Task<Ok<RunSummary[]>> ListRuns(IGrainFactory grains)
    {
        var names = await grains.GetGrain<IRunCatalogGrain>(GrainKeys.RunCatalog).List();
        var infos = await Task.WhenAll(names.Select(n => grains.GetGrain<IRunGrain>(n).GetInfo()));
        return TypedResults.Ok(infos.Select(RunSummary.From).ToArray());
    }

    private static async Task<Results<Created<RunConfig>, Ok<RunConfig>>> CreateRun(string run, HttpRequest request, IGrainFactory grains,
        IOptions<JsonOptions> json, IOptions<ApiOptions> api, CancellationToken cancellation)
    {
        var grain = Run(grains, run);
        var body = await RequestBodies.ReadJsonAsync<CreateRunRequest>(request, api.Value.MaxJsonBytes, json.Value.SerializerOptions, cancellation);
        var existed = await Exists(grain);
        var config = await grain.Configure(body.ToRunRequest());
        return existed ? TypedResults.Ok(config) : TypedResults.Created($"/api/runs/{config.Name}", config);
    }

    private static async Task<Ok<RunInfo>> GetRun(string run, IGrainFactory grains) => TypedResults.Ok(await (await KnownRun(grains, run)).GetInfo());

    private static async Task<Ok<RecordProgress>> GetRecord(string run, string dataset, string record, IGrainFactory grains)
    {
        var key = GrainKeys.Record(run, dataset, record);
        await (await KnownRun(grains, run)).GetConfig();
        return TypedResults.Ok(await grains.GetGrain<IRecordGrain>(key).GetProgress());
    }

    private static async Task<Ok<ChunkAck>> AppendChunk(string run, string dataset, string record, HttpRequest request, IGrainFactory grains,
        IOptions<JsonOptions> json, IOptions<ApiOptions> api, CancellationToken cancellation)
    {
        var key = GrainKeys.Record(run, dataset, record);
        var body = await RequestBodies.ReadJsonAsync<ChunkRequest>(request, api.Value.MaxChunkBytes, json.Value.SerializerOptions, cancellation);
        return TypedResults.Ok(await grains.GetGrain<IRecordGrain>(key).Append(body.ToSignalChunk()));
    }

    private static async Task<Ok<ClassMapSummary[]>> ListMaps(string run, string? grouping, IGrainFactory grains)
    {
        var info = await (await KnownRun(grains, run)).GetInfo();
        var prefix = grouping is null ? "" : ParseArgument(ClassMapGrouping.Parse, grouping).Name + "/";
        var views = await Task.WhenAll(info.ClassMaps.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(info.Config.Name, k)).Get()));
        return TypedResults.Ok(views.Select(ClassMapSummary.From).ToArray());
    }

    private static async Task<Ok<ClassMapView>> GetMap(string run, string grouping, string @class, IGrainFactory grains)
    {
        var mapKey = ParseMapKey(grouping, @class);
        await (await KnownRun(grains, run)).GetConfig();
        return TypedResults.Ok(await grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, mapKey)).Get());
    }

    private static async Task<IResult> StreamMaps(string run, string? grouping, IGrainFactory grains, StreamLimiter limiter,
        ILoggerFactory logging, HttpContext http, CancellationToken cancellation)
    {
        ClassMapGrouping? filter = grouping is null ? null : ParseArgument(ClassMapGrouping.Parse, grouping);
        await (await KnownRun(grains, run)).GetConfig();
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        switch (limiter.TryEnter(client))
        {
            case StreamAdmission.SiloFull:
                return StreamsRefused(StatusCodes.Status503ServiceUnavailable, Problems.TooManyStreams, "Too many streams",
                    $"this silo serves {limiter.Limit} class-map streams at once; retry later or poll /api/runs/{run}/maps");
            case StreamAdmission.ClientFull:
                return StreamsRefused(StatusCodes.Status429TooManyRequests, Problems.TooManyClientStreams, "Too many streams from one client",
                    $"a client may hold {limiter.PerClientLimit} class-map streams at once; close one or poll /api/runs/{run}/maps");
        }
        var feed = new ClassMapFeed(grains, run, filter, logging.CreateLogger<ClassMapFeed>());
        return TypedResults.ServerSentEvents(limiter.Track(feed.ReadAllAsync(cancellation), http, client));
    }

    private static IResult StreamsRefused(int status, string code, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, type: Problems.TypePrefix + code, detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    private static async Task<bool> Exists(IRunGrain grain)
    {
        try
        {
            await grain.GetConfig();
            return true;
        }
        catch (EcgRequestException e) when (e.Code == Codes.UnknownRun)
        {
            return false;
        }
    }

    private static string ParseMapKey(string grouping, string @class) => ParseArgument(ClassMapKey.Parse, $"{grouping}/{@class}").ToString();
}
