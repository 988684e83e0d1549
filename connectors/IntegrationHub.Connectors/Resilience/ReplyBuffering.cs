namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// Reads each reply whole inside its attempt (the innermost handler, under the resilience pipeline),
/// so that a reply cut off half-way fails as that attempt's outcome, and is retried, rather than later
/// in the client.
/// </summary>
internal sealed class ReplyBuffering : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            // Whatever cut the reply off (reset, timeout, cancellation) is the pipeline's to judge; the
            // half-read response is of no use to anyone.
            response.Dispose();
            throw;
        }
    }
}
