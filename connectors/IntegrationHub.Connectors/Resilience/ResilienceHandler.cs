using Polly;

namespace IntegrationHub.Connectors.Resilience;

/// <summary>
/// Sends every request of a system's <see cref="HttpClient"/> through that system's resilience
/// pipeline. Bodies are buffered on both sides: the request's so that a retry can send it again,
/// the reply's so that a reply cut off half-way fails inside the pipeline (and is retried) rather
/// than later in the client.
/// </summary>
internal sealed class ResilienceHandler(ConnectorPipelines.SystemPipeline pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(ConnectorRequest.OperationOf(request), cancellationToken);
        ConnectorPipelines.Attach(context, request);
        try
        {
            return await pipeline.Pipeline.ExecuteAsync(
                static async (context, state) => await state.Handler.SendAttemptAsync(state.Request, context.CancellationToken),
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
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
