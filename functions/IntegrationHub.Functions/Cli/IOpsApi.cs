using System.Text.Json.Nodes;
using Refit;

namespace IntegrationHub.Functions.Cli;

/// <summary>The operations API calls the command line makes (see README, "Operations").</summary>
internal interface IOpsApi
{
    [Get("/api/ops/dead-letters")]
    Task<HttpResponseMessage> ListDeadLettersAsync(string? queue, string? reason, string? text, int limit, CancellationToken cancellationToken);

    [Get("/api/ops/dead-letters/{queue}/{messageId}")]
    Task<HttpResponseMessage> ReadDeadLetterAsync(string queue, string messageId, CancellationToken cancellationToken);

    [Post("/api/ops/replays")]
    Task<HttpResponseMessage> StartReplayAsync([Body] JsonObject request, CancellationToken cancellationToken);

    [Get("/api/ops/replays/{id}")]
    Task<HttpResponseMessage> ReadReplayAsync(string id, int limit, CancellationToken cancellationToken);

    [Post("/api/audit/retentions")]
    Task<HttpResponseMessage> RetainAuditEntriesAsync([Body] JsonObject request, CancellationToken cancellationToken);
}
