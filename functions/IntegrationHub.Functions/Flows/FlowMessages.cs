using System.Diagnostics;
using System.Text.Json;

namespace IntegrationHub.Functions.Flows;

/// <summary>Messages and timeline steps as the flows write them.</summary>
internal static class FlowMessages
{
    /// <summary>
    /// A contract record as a message: id from the business key and the step, the dossier's portal
    /// code as correlation id, the contract's name as subject, and the current trace as <c>traceparent</c>.
    /// </summary>
    public static OutgoingMessage Create<T>(string messageId, string portalCode, T body)
        where T : class
    {
        var properties = Activity.Current is { } activity
            ? new Dictionary<string, string> { ["traceparent"] = activity.Id ?? "" }
            : new Dictionary<string, string>();
        return new OutgoingMessage
        {
            MessageId = messageId,
            CorrelationId = portalCode,
            Subject = typeof(T).Name,
            Body = JsonSerializer.SerializeToUtf8Bytes(body, HubJson.Options),
            ApplicationProperties = properties,
        };
    }

    /// <summary>A step the hub itself took, on the dossier's timeline.</summary>
    public static TimelineEvent HubStep(string portalCode, DateTimeOffset at, string action, DossierStatus? status = null, string? messageId = null) => new()
    {
        PortalCode = portalCode,
        At = at,
        Actor = HubTexts.HubActor,
        Unit = HubTexts.CenterUnit,
        Action = action,
        Status = status,
        MessageId = messageId,
    };

    /// <summary>The portal's progress record for a step the hub took.</summary>
    public static ProgressRecord HubProgress(string action, DossierStatus status, DateTimeOffset at, DateTimeOffset? dueAt = null) => new()
    {
        Actor = HubTexts.HubActor,
        Unit = HubTexts.CenterUnit,
        Action = action,
        Status = status,
        At = at,
        DueAt = dueAt,
    };
}
