using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace EcgOrleans.Silo.Api;

/// <summary>Request bodies read with a size limit and, for JSON, parsed strictly, so a refusal names what was wrong.</summary>
public static class RequestBodies
{
    /// <summary>The whole body, refused with 413 when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, long limit, string what, CancellationToken cancellation)
    {
        if (request.ContentLength is { } declared && declared > limit) throw TooLarge(what, limit, $"{declared} bytes declared");
        // Let the server cut a chunked body at the limit too (the default limit may be smaller or larger than ours).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;

        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 16 << 10, limit));
        var block = new byte[64 << 10];
        int read;
        while ((read = await request.Body.ReadAsync(block, cancellation)) > 0)
        {
            if (buffer.Length + read > limit) throw TooLarge(what, limit, "more sent");
            buffer.Write(block, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A JSON body as <typeparamref name="T"/>: 415 when it is not JSON, 413 when too large, 400 when malformed.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, long limit, JsonSerializerOptions options, CancellationToken cancellation)
        where T : class
    {
        if (!request.HasJsonContentType())
            throw new RequestBodyException(StatusCodes.Status415UnsupportedMediaType, Problems.UnsupportedMediaType,
                $"the body must be JSON (Content-Type: application/json), not '{request.ContentType ?? "none"}'");
        var bytes = await ReadBytesAsync(request, limit, "JSON body", cancellation);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, options)
                ?? throw new RequestBodyException(StatusCodes.Status400BadRequest, Problems.MalformedJson, "the JSON body is null");
        }
        catch (JsonException e)
        {
            throw new RequestBodyException(StatusCodes.Status400BadRequest, Problems.MalformedJson, $"the JSON body is not a valid {Describe<T>()}: {e.Message}");
        }
    }

    private static string Describe<T>() => typeof(T).Name;

    private static RequestBodyException TooLarge(string what, long limit, string sent) =>
        new(StatusCodes.Status413PayloadTooLarge, Problems.BodyTooLarge, $"the {what} is larger than the limit of {limit} bytes ({sent})");
}
