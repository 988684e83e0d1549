using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Operations;

namespace IntegrationHub.Functions.Operations;

/// <summary>The operator audit log's entries as the operations actions write them.</summary>
internal static class AuditEntries
{
    /// <summary>An entry: who, what, on which queue, why, and its particulars as JSON.</summary>
    public static OperatorAction Of(Operator by, string action, string queue, string comment, object detail, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(by);
        return new OperatorAction
        {
            At = at, Actor = by.Subject, ActorName = by.Name, Unit = by.Unit, Action = action, Queue = queue, Comment = comment,
            Detail = JsonSerializer.Serialize(detail, HubJson.Options),
        };
    }

    /// <summary>How a replay request chose its dead letters: its message ids, or its filter.</summary>
    public static JsonNode Selection(DeadLetterReplayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.MessageIds is { } ids
            ? new JsonObject { ["messageIds"] = JsonSerializer.SerializeToNode(ids, HubJson.Options) }
            : new JsonObject { ["filter"] = JsonSerializer.SerializeToNode(request.Filter, HubJson.Options) };
    }
}
