using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Silo.Api;

/// <summary>
/// The X-Api-Key scheme: a request is authenticated when its key is one of Ecg:Api:Keys. Keys are compared as
/// SHA-256 hashes in constant time, and neither the key nor its hash is ever logged or echoed.
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

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0) return Task.FromResult(AuthenticateResult.NoResult());
        if (values.Count > 1 || string.IsNullOrEmpty(values[0]))
            return Task.FromResult(AuthenticateResult.Fail($"send exactly one non-empty {Header} header"));
        var index = MatchingKey(api.CurrentValue.Keys, values[0]!);
        if (index < 0) return Task.FromResult(AuthenticateResult.Fail($"the {Header} header holds no key this silo accepts"));

        // The principal names the key by its position in the configuration, never by its value.
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"api-key-{index + 1}")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        var (code, detail) = result.Failure is { } failure
            ? ("invalid-api-key", failure.Message)
            : ("missing-api-key", api.CurrentValue.Keys.Count == 0
                ? "this request needs an API key, and this silo has none configured (Ecg:Api:Keys)"
                : $"this request needs an API key in the {Header} header");
        await problems.WriteAsync(Problems.Context(Context, StatusCodes.Status401Unauthorized, code, "API key required", detail));
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

/// <summary>The two authorization policies of the API.</summary>
public static class ApiPolicies
{
    /// <summary>Ingest, run creation, model upload and activation: always need a key.</summary>
    public const string Write = "ecg-write";

    /// <summary>Everything else: needs a key only when Ecg:Api:RequireKeyForReads is true; a key that is sent must be valid either way.</summary>
    public const string Read = "ecg-read";

    public static void Add(AuthorizationOptions authorization, ApiOptions api)
    {
        authorization.AddPolicy(Write, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
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
