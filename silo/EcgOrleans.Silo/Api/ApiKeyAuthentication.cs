using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Silo.Api;

/// <summary>The two roles a key carries: write keys (Ecg:Api:Keys) write and read; read keys (Ecg:Api:ReadKeys) only read.</summary>
public static class ApiRoles
{
    public const string Write = "write";
    public const string Read = "read";
}

/// <summary>
/// The X-Api-Key scheme: a request is authenticated when its key is one of Ecg:Api:Keys (role write) or Ecg:Api:ReadKeys
/// (role read). Keys are compared as SHA-256 hashes in constant time, and neither the key nor its hash is ever logged or
/// echoed. Under /dashboard a browser may send the key as the password of HTTP Basic authentication instead (it cannot
/// add a header to a page it navigates to); nowhere else, so a browser's remembered credentials never authorise a write.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> api,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string DashboardPath = "/dashboard";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(out var failure);
        if (failure is not null) return Task.FromResult(AuthenticateResult.Fail(failure));
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());

        var keys = api.CurrentValue;
        // Both lists are always searched: how long a request takes says nothing about which list holds its key.
        var write = MatchingKey(keys.Keys, presented);
        var read = MatchingKey(keys.ReadKeys, presented);
        var (role, index) = write >= 0 ? (ApiRoles.Write, write) : (ApiRoles.Read, read);
        if (index < 0) return Task.FromResult(AuthenticateResult.Fail($"the {Header} header holds no key this silo accepts"));

        // The principal names the key by its role and position in the configuration, never by its value.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role}-key-{index + 1}"), new Claim(ClaimTypes.Role, role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>The key sent, null when none; <paramref name="failure"/> set when what was sent cannot be a key.</summary>
    private string? PresentedKey(out string? failure)
    {
        failure = null;
        if (Request.Headers.TryGetValue(Header, out var values) && values.Count > 0)
        {
            if (values.Count > 1 || string.IsNullOrEmpty(values[0])) failure = $"send exactly one non-empty {Header} header";
            return values[0];
        }
        if (!IsDashboard(Request) || !AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var authorization)
            || !"Basic".Equals(authorization.Scheme, StringComparison.OrdinalIgnoreCase) || authorization.Parameter is null)
            return null;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter));
            var colon = pair.IndexOf(':');
            if (colon >= 0 && colon < pair.Length - 1) return pair[(colon + 1)..];
        }
        catch (FormatException)
        {
        }
        failure = "the Basic credentials are not user:key in base64";
        return null;
    }

    private static bool IsDashboard(HttpRequest request) => request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = IsDashboard(Request)
            ? new[] { $"{SchemeName} header=\"{Header}\"", "Basic realm=\"EcgOrleans dashboard: any user name, an API key as password\"" }
            : $"{SchemeName} header=\"{Header}\"";
        var (code, detail) = result.Failure is { } failure
            ? ("invalid-api-key", failure.Message)
            : ("missing-api-key", api.CurrentValue.Keys.Count == 0 && api.CurrentValue.ReadKeys.Count == 0
                ? "this request needs an API key, and this silo has none configured (Ecg:Api:Keys, Ecg:Api:ReadKeys)"
                : $"this request needs an API key in the {Header} header");
        await problems.WriteAsync(Problems.Context(Context, StatusCodes.Status401Unauthorized, code, "API key required", detail));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(Problems.Context(Context, StatusCodes.Status403Forbidden, "read-only-key", "Write key required",
            $"the key sent is a read key (Ecg:Api:ReadKeys); {Request.Method} {Request.Path} needs a write key (Ecg:Api:Keys)"));
    }

    /// <summary>Index of the configured key equal to <paramref name="presented"/>, or -1; every key is compared, so timing says nothing.</summary>
    public static int MatchingKey(IReadOnlyList<string> keys, string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var found = -1;
        for (var i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrEmpty(keys[i])) continue;
            if (CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(keys[i]))) && found < 0) found = i;
        }
        return found;
    }
}

/// <summary>The authorization policies of the API.</summary>
public static class ApiPolicies
{
    /// <summary>Ingest, run creation, model upload and activation: always need a write key.</summary>
    public const string Write = "ecg-write";

    /// <summary>Everything else: needs a key only when Ecg:Api:RequireKeyForReads is true; a key that is sent must be valid either way.</summary>
    public const string Read = "ecg-read";

    /// <summary>The Orleans dashboard: a key of either role, always (it shows the cluster's inside).</summary>
    public const string Operator = "ecg-operator";

    public static void Add(AuthorizationOptions authorization, ApiOptions api)
    {
        authorization.AddPolicy(Write, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole(ApiRoles.Write));
        authorization.AddPolicy(Operator, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        authorization.AddPolicy(Read, p =>
        {
            p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName);
            if (api.RequireKeyForReads) p.RequireAuthenticatedUser();
            // A wrong key is refused even where none is needed: a misconfigured client learns of it at once.
            else p.RequireAssertion(c => c.User.Identity?.IsAuthenticated == true || !SendsKey(c.Resource));
        });
    }

    private static bool SendsKey(object? resource) =>
        resource is HttpContext http && http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header);
}
