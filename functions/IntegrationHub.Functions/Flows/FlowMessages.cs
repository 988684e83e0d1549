using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core;

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

    /// <summary>
    /// The application property of a submission's intake message saying when its dossier was received
    /// (ISO 8601), as the intake recorded it in the same commit: the verify step need not read the
    /// dossier to learn it. A message without it (a conflicting duplicate replayed, say) is read for it.
    /// </summary>
    public const string ReceivedAtProperty = "hub-received-at";

    /// <summary>A submission's intake message, saying when its dossier was received (<see cref="ReceivedAtProperty"/>).</summary>
    public static OutgoingMessage Received(string messageId, SubmissionReceived submission, DateTimeOffset receivedAt)
    {
        var message = Create(messageId, submission.PortalCode, submission);
        return message with
        {
            ApplicationProperties = new Dictionary<string, string>(message.ApplicationProperties)
            {
                // As the dossier's record keeps it: to the millisecond, in Vietnam time.
                [ReceivedAtProperty] = VietnamTime.ToLocal(DateTimeOffset.FromUnixTimeMilliseconds(receivedAt.ToUnixTimeMilliseconds())).ToString("O", CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>When a received message says its dossier was received, if it says so (<see cref="ReceivedAtProperty"/>).</summary>
    public static DateTimeOffset? ReceivedAt(IReadOnlyDictionary<string, string> properties) =>
        properties.TryGetValue(ReceivedAtProperty, out var text)
        && DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

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
