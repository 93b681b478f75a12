using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EcgOrleans.Silo.Api;

/// <summary>Checks made before a request is routed: sizes Kestrel would otherwise refuse without a body, and authentication of writes.</summary>
public static class RequestGuards
{
    /// <summary>Longest request target (path and query) the API answers; Kestrel's own limit is set well above it.</summary>
    public const int MaxTargetLength = 8 << 10;

    /// <summary>Largest total of request header names and values.</summary>
    public const int MaxHeaderBytes = 32 << 10;

    /// <summary>
    /// Kestrel refuses an over-long request line or header block itself, with an empty body; its limits are raised above
    /// ours so that such a request reaches <see cref="UseRequestLimits"/> and gets a problem-details answer instead.
    /// </summary>
    public static void RaiseServerLimits(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, 8 * MaxTargetLength);
        kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, 2 * MaxHeaderBytes);
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        if (target.Length > MaxTargetLength)
        {
            await Refuse(http, StatusCodes.Status414UriTooLong, "uri-too-long", "Request target too long",
                $"the request target has {target.Length} characters; at most {MaxTargetLength} are accepted");
            return;
        }
        var headerBytes = http.Request.Headers.Sum(h => (long)h.Key.Length + h.Value.Sum(v => v?.Length ?? 0));
        if (headerBytes > MaxHeaderBytes)
        {
            await Refuse(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "headers-too-large", "Request headers too large",
                $"the request headers hold {headerBytes} characters; at most {MaxHeaderBytes} are accepted");
            return;
        }
        await next(http);
    });

    /// <summary>
    /// Every write to the API is authenticated before routing looks at it: a request without a write key gets 401 (or
    /// 403 with a read key) whatever its content type, path or body, and learns nothing about the routes.
    /// </summary>
    public static IApplicationBuilder UseWriteAuthentication(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (IsWrite(http.Request))
        {
            var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            if (!result.Succeeded)
            {
                await http.ChallengeAsync(ApiKeyAuthenticationHandler.SchemeName);
                return;
            }
            if (!result.Principal.IsInRole(ApiRoles.Write))
            {
                await http.ForbidAsync(ApiKeyAuthenticationHandler.SchemeName);
                return;
            }
        }
        await next(http);
    });

    private static bool IsWrite(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    private static Task Refuse(HttpContext http, int status, string code, string title, string detail)
    {
        http.Response.StatusCode = status;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(Problems.Context(http, status, code, title, detail)).AsTask();
    }
}
