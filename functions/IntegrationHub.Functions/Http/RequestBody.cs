using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Http;

/// <summary>Reads a request body up to a limit.</summary>
internal static class RequestBody
{
    /// <summary>The body's bytes; a body over the limit ends the request with 413.</summary>
    public static async Task<byte[]> ReadAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // The usual case: the length is declared, and the body is read straight into an array of that size.
        if (context.Request.ContentLength is { } length)
        {
            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
            return body;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The body's bytes without a leading byte-order mark.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadJsonAsync(HttpContext context, int limit)
    {
        ReadOnlyMemory<byte> body = await ReadAsync(context, limit);
        return body[(body.Length - HubJson.WithoutByteOrderMark(body.Span).Length)..];
    }

    private static ProblemException TooLarge(int limit) => new(Problems.Create(
        Problems.PayloadTooLarge,
        $"The body is larger than {limit} bytes.",
        new Dictionary<string, object?> { ["limit"] = limit }));
}
