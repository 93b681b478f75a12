using EcgOrleans.Abstractions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Silo.Api;

/// <summary>RFC 7807 problem details: the one shape every error of the API takes, with a stable "code" beside the HTTP status.</summary>
public static partial class Problems
{
    /// <summary>Problem types are URNs built from the code, e.g. urn:ecg-orleans:problem:unknown-run.</summary>
    public const string TypePrefix = "urn:ecg-orleans:problem:";

    public const string MalformedJson = "malformed-json";
    public const string BodyTooLarge = "body-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string TooManyStreams = "too-many-streams";
    public const string TooManyClientStreams = "too-many-client-streams";
    public const string Unavailable = "cluster-unavailable";

    /// <summary>The HTTP status of a grain's refusal.</summary>
    public static int StatusOf(string code) => code switch
    {
        Codes.UnknownRun or Codes.UnknownModel => StatusCodes.Status404NotFound,
        Codes.RunConflict or Codes.ChunkOutOfOrder or Codes.RecordComplete => StatusCodes.Status409Conflict,
        Codes.InvalidChunk or Codes.InvalidBatch or Codes.InvalidModel => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Longest detail an answer carries: enough to name what was wrong, never a copy of a large input.</summary>
    public const int MaxDetailLength = 400;

    public static ProblemDetailsContext Context(HttpContext http, int status, string code, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Type = TypePrefix + code, Title = title, Detail = Bounded(detail) };
        problem.Extensions["code"] = code;
        return new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem };
    }

    /// <summary>
    /// Gives the problems the framework writes itself (no route: 404, wrong method: 405, a Content-Type the route
    /// does not accept: 415) the same shape as ours: a code, a type built from it, and a detail.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var request = context.HttpContext.Request;
        var (code, detail) = problem.Status switch
        {
            StatusCodes.Status404NotFound => ("not-found", $"nothing answers {request.Method} {request.Path}"),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", $"{request.Path} does not take {request.Method}"),
            StatusCodes.Status415UnsupportedMediaType => (UnsupportedMediaType,
                $"{request.Method} {request.Path} does not accept Content-Type '{request.ContentType ?? "none"}'"),
            StatusCodes.Status400BadRequest => ("bad-request", "the request is malformed"),
            { } status => ($"http-{status}", problem.Title ?? $"HTTP {status}"),
            null => ("error", problem.Title ?? "error"),
        };
        problem.Extensions["code"] = code;
        problem.Type = TypePrefix + code;
        problem.Detail = Bounded(problem.Detail ?? detail);
    }

    /// <summary>
    /// A detail fit to send: without .NET's " (Parameter 'name')" suffixes, which name code rather than input, and cut to
    /// <see cref="MaxDetailLength"/> characters, so a huge field echoed in a message is not sent back whole.
    /// </summary>
    public static string Bounded(string detail)
    {
        var text = ParameterSuffix().Replace(detail, "");
        return text.Length <= MaxDetailLength ? text : $"{text[..(MaxDetailLength - 40)]}... ({text.Length - MaxDetailLength + 40} characters cut)";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" ?\(Parameter '[^']*'\)")]
    private static partial System.Text.RegularExpressions.Regex ParameterSuffix();

    public static ProblemDetailsContext From(HttpContext http, EcgRequestException e)
    {
        var context = Context(http, StatusOf(e.Code), e.Code, Title(e.Code), e.Message);
        if (e.ExpectedSequence is { } expected) context.ProblemDetails.Extensions["expectedSequence"] = expected;
        return context;
    }

    private static string Title(string code) => code switch
    {
        Codes.UnknownRun => "Unknown run",
        Codes.UnknownModel => "Unknown model",
        Codes.RunConflict => "Run exists with another configuration",
        Codes.ChunkOutOfOrder => "Chunk out of order",
        Codes.RecordComplete => "Record complete",
        Codes.InvalidChunk => "Invalid chunk",
        Codes.InvalidBatch => "Invalid batch",
        Codes.InvalidModel => "Invalid model",
        _ => "Invalid request",
    };
}

/// <summary>A request body the API refuses before any grain sees it.</summary>
public sealed class RequestBodyException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

/// <summary>Turns the exceptions of a request into problem details; anything unexpected is a 500 that tells nothing internal.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var context = exception switch
        {
            EcgRequestException e => Problems.From(http, e),
            RequestBodyException e => Problems.Context(http, e.Status, e.Code, "Request body refused", e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e =>
                Problems.Context(http, e.StatusCode, Problems.BodyTooLarge, "Request body too large", e.Message),
            BadHttpRequestException e => Problems.Context(http, e.StatusCode, "bad-request", "Bad request", e.Message),
            // The dashboard parses silo addresses and grain names out of its paths and throws on ones it cannot read.
            _ when http.Request.Path.StartsWithSegments(ApiKeyAuthenticationHandler.DashboardPath, StringComparison.OrdinalIgnoreCase) && IsUnreadableInput(exception) =>
                Problems.Context(http, StatusCodes.Status400BadRequest, "bad-request", "Bad request", $"the dashboard cannot read {http.Request.Path}"),
            TimeoutException or OrleansMessageRejectionException or SiloUnavailableException =>
                Problems.Context(http, StatusCodes.Status503ServiceUnavailable, Problems.Unavailable, "Cluster unavailable",
                    "the cluster did not answer in time; retry the request"),
            _ => null,
        };
        if (context is null)
        {
            logger.LogError(exception, "Unhandled error in {Method} {Path}", http.Request.Method, http.Request.Path);
            context = Problems.Context(http, StatusCodes.Status500InternalServerError, "internal-error", "Internal error",
                "the silo failed to handle the request; the error is in its log");
        }
        else if (context.ProblemDetails.Status >= 500)
        {
            logger.LogWarning(exception, "{Method} {Path} answered {Status}", http.Request.Method, http.Request.Path, context.ProblemDetails.Status);
        }
        http.Response.StatusCode = context.ProblemDetails.Status!.Value;
        return await problems.TryWriteAsync(context);
    }

    /// <summary>A parse failure, possibly wrapped (the dashboard's grain activation wraps its silo-address parsing).</summary>
    private static bool IsUnreadableInput(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is FormatException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException) return true;
        }
        return false;
    }
}
