using System.Text;
using IntegrationHub.StandIns.Faults;
using IntegrationHub.StandIns.Scopes;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.StandIns.Http;

/// <summary>
/// The stand-in's own front, before WireMock.Net on every request: it records the request as it
/// arrives (so a test sees a request whose answer is still delayed), lets it claim a scope's stub,
/// and, when the answer names a <see cref="ConnectionFault"/>, does that to the connection instead
/// of sending the answer.
/// </summary>
internal sealed class StandInFront(RequestLog log, StubBook stubs, TimeProvider time)
{
    /// <summary>The ticket of the answer a request claimed; WireMock.Net's mapping for claimed answers matches it.</summary>
    public const string StubHeader = "X-StandIn-Stub";

    /// <summary>An answer with this header is not sent: the named <see cref="ConnectionFault"/> is done instead.</summary>
    public const string FaultHeader = "X-StandIn-Fault";

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/__admin", StringComparison.Ordinal))
        {
            await next();
            return;
        }

        request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        request.Body.Position = 0;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var logged = new LoggedRequest(request.Method, $"{request.Path}{request.QueryString}", headers, body, time.GetUtcNow());
        log.Add(logged);

        // Only the front says which answer a request claimed.
        request.Headers.Remove(StubHeader);
        if (stubs.Claim(logged) is { } ticket)
        {
            request.Headers[StubHeader] = ticket;
        }

        var answer = context.Response.Body;
        await using var buffered = new MemoryStream();
        context.Response.Body = buffered;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = answer;
        }

        if (ConnectionFaults.Named(context.Response.Headers[FaultHeader].ToString()) is { } fault)
        {
            await ConnectionFaults.ApplyAsync(context, fault);
            return;
        }

        buffered.Position = 0;
        await buffered.CopyToAsync(answer, context.RequestAborted);
    }
}
