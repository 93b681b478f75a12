using System.Text.Json;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Silo.Api;
using EcgOrleans.Silo.Health;
using EcgOrleans.Silo.Live;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;

namespace EcgOrleans.Silo.Hosting;

/// <summary>The silo's web side, wired in one place: API, page, metrics, health, dashboard and access control.</summary>
public static class SiloApplication
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddEcgSilo(this WebApplicationBuilder builder)
    {
        var apiSection = builder.Configuration.GetSection(ApiOptions.Section);
        var api = apiSection.Get<ApiOptions>() ?? new ApiOptions();
        builder.Services.Configure<ApiOptions>(apiSection);

        builder.UseOrleans(silo =>
        {
            silo.AddEcgOrleans(builder.Configuration);
            if (api.Dashboard) silo.AddDashboard();
        });

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Complete);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => ApiPolicies.Add(o, api));
        builder.Services.AddSingleton<StreamLimiter>();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "EcgOrleans";
            document.Info.Description =
                "Class-level saliency maps of ECG beat classifiers, live. Writes need an API key in the X-Api-Key header; " +
                "errors are RFC 7807 problem details with a stable 'code'.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "One of the keys in the silo's Ecg:Api:Keys.",
            };
            if (document.Components.Schemas is { } schemas && schemas.TryGetValue("ProblemDetails", out var schema) && schema is OpenApiSchema problem)
            {
                problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
                problem.Properties["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "Stable error code: unknown-run, unknown-model, run-conflict, chunk-out-of-order, record-complete, invalid-chunk, invalid-model, invalid-argument, malformed-json, body-too-large, missing-api-key, invalid-api-key, ...",
                };
                problem.Properties["expectedSequence"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int64",
                    Description = "With chunk-out-of-order: the chunk the record expects next; resume from it.",
                };
            }
            return Task.CompletedTask;
        }));
        builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [ReadyTag])
            .AddCheck<ModelRegistryCheck>("model-registry", tags: [ReadyTag]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ecg-orleans-silo"))
            .WithMetrics(m => m
                .AddMeter("Microsoft.Orleans", EcgMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapEcgSilo(this WebApplication app)
    {
        var api = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value;
        if (api.Keys.Count(k => !string.IsNullOrEmpty(k)) == 0)
            app.Logger.LogWarning("No API keys configured (Ecg:Api:Keys): every HTTP write is refused");

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().RequireAuthorization(ApiPolicies.Read);
        RunEndpoints.Map(app);
        ModelEndpoints.Map(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiPolicies.Read);
        if (api.Dashboard) app.MapOrleansDashboard("/dashboard").RequireAuthorization(ApiPolicies.Read).ExcludeFromDescription();
        return app;
    }

    private static Task WriteHealth(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
