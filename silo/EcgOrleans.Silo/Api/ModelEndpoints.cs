using System.Security.Cryptography;
using EcgOrleans.Abstractions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Silo.Api;

/// <summary>The model registry: list, resolve, upload a checkpoint, activate a version.</summary>
public static class ModelEndpoints
{
    public const string CheckpointContentType = "application/octet-stream";

    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/models").WithTags("Models");
        models.MapGet("/", List).RequireAuthorization(ApiPolicies.Read)
            .WithSummary("List model versions").WithDescription("Every version of every model, with architecture, representation, size, SHA-256 and which version is active.");
        models.MapGet("/{model}", Resolve).RequireAuthorization(ApiPolicies.Read).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One model version").WithDescription("'name' gives its active version, 'name@version' that exact version.");
        models.MapPost("/{name}", Upload).RequireAuthorization(ApiPolicies.Write)
            .Accepts<Stream>(CheckpointContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Upload a checkpoint").WithDescription("The body is the checkpoint file (application/octet-stream). It becomes the next version of the model (the first version is activated); 201 for a new version, 200 when the same bytes are already a version. A checkpoint that does not load is refused with 422 invalid-model.");
        models.MapPost("/{name}/versions/{version:int}/activate", Activate).RequireAuthorization(ApiPolicies.Write)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Activate a model version").WithDescription("Runs created afterwards with the bare model name use this version; existing runs keep theirs.");
    }

    private static IModelRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry);

    private static async Task<Ok<IReadOnlyList<ModelInfo>>> List(IGrainFactory grains) => TypedResults.Ok(await Registry(grains).List());

    private static async Task<Ok<ModelInfo>> Resolve(string model, IGrainFactory grains) => TypedResults.Ok(await Registry(grains).Resolve(model));

    private static async Task<Results<Created<ModelInfo>, Ok<ModelInfo>>> Upload(string name, HttpRequest request, IGrainFactory grains,
        IOptions<ApiOptions> api, CancellationToken cancellation)
    {
        GrainKeys.CheckPart(name, "model name");
        if (!string.Equals(request.ContentType, CheckpointContentType, StringComparison.OrdinalIgnoreCase))
            throw new RequestBodyException(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType,
                $"a checkpoint is uploaded as {CheckpointContentType}, not '{request.ContentType ?? "none"}'");
        var checkpoint = await RequestBodies.ReadBytesAsync(request, api.Value.MaxCheckpointBytes, "checkpoint", cancellation);
        var sha = Convert.ToHexStringLower(SHA256.HashData(checkpoint));
        var registry = Registry(grains);
        var known = (await registry.List()).Any(m => m.Name == name && m.Sha256 == sha);
        var info = await registry.Upload(name, checkpoint);
        return known ? TypedResults.Ok(info) : TypedResults.Created($"/api/models/{info.Key}", info);
    }

    private static async Task<Ok<ModelInfo>> Activate(string name, int version, IGrainFactory grains) =>
        TypedResults.Ok(await Registry(grains).Activate(name, version));
}
