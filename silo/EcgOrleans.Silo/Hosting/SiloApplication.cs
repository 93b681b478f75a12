using System.Text.Json;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Silo.Api;
using EcgOrleans.Silo.Health;
using EcgOrleans.Silo.Live;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Configuration;
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
            // The dashboard's live log view streams the silo's log to its viewers: off.
            if (api.Dashboard) silo.AddDashboard(o => o.HideTrace = true);
        });

        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(RequestGuards.RaiseServerLimits);
        // A refused key is answered with 401; the handler's own two Information lines per refusal would only fill the log.
        builder.Logging.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Complete);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => ApiPolicies.Add(o, api));
        builder.Services.AddSingleton<StreamMetrics>();
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
                Description = "A write key (Ecg:Api:Keys) or, for reads, a read key (Ecg:Api:ReadKeys).",
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
            .AddCheck<ModelRegistryCheck>("model-registry", tags: [ReadyTag])
            .AddCheck<BundledModelsCheck>("bundled-models", tags: [ReadyTag]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ecg-orleans-silo"))
            .WithMetrics(m => m
                .AddMeter("Microsoft.Orleans", EcgMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapEcgSilo(this WebApplication app)
    {
        var api = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        if (api.Keys.Count(k => !string.IsNullOrEmpty(k)) == 0)
            app.Logger.LogWarning("No API keys configured (Ecg:Api:Keys): every HTTP write is refused");
        WarnWithoutTls(app);

        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLimits();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWriteAuthentication();
        // Routing after the write check: a keyless write gets 401 before a route's content-type rule can answer 415.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().RequireAuthorization(ApiPolicies.Read);
        RunEndpoints.Map(app);
        ModelEndpoints.Map(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiPolicies.Read);
        if (api.Dashboard) app.MapOrleansDashboard(ApiKeyAuthenticationHandler.DashboardPath).RequireAuthorization(ApiPolicies.Operator).ExcludeFromDescription();
        return app;
    }

    /// <summary>Says at start that the cluster ports are closed to other hosts, naming them, when no TLS is configured.</summary>
    private static void WarnWithoutTls(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<EcgOptions>>().Value.Tls.Enabled) return;
        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        app.Logger.LogWarning(
            "No TLS configured (Ecg:Tls): silo port {SiloPort} and gateway port {GatewayPort} listen on 127.0.0.1 only; " +
            "set Ecg:Tls:Certificate, Ecg:Tls:Key and Ecg:Tls:Ca to let other hosts in with mutual TLS",
            endpoints.SiloPort, endpoints.GatewayPort);
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
