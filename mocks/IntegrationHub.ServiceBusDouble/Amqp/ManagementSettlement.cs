using IntegrationHub.ServiceBusDouble.Broker;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// Settlements as the SDK expresses them: on the receive link (<c>AmqpReceiver</c>: complete is
/// Accepted, abandon Modified, defer Modified{undeliverable-here}, dead-letter Rejected with
/// <c>com.microsoft:dead-letter</c>) and through <c>$management update-disposition</c>, which the SDK
/// uses for a lock token its receive link does not hold (another receiver, or a link since closed).
/// </summary>
internal static class ManagementSettlement
{
    const string DeadLetterReason = "DeadLetterReason";
    const string DeadLetterErrorDescription = "DeadLetterErrorDescription";

    public static AmqpMessage UpdateDisposition(AmqpMap body, DoubleQueue queue, bool deadLetterQueue)
    {
        SettlementKind? kind = (body[new MapKey("disposition-status")] as string) switch
        {
            "completed" => SettlementKind.Complete,
            "abandoned" => SettlementKind.Abandon,
            "defered" or "deferred" => SettlementKind.Defer, // the SDK spells it "defered" (DispositionStatus.Defered)
            "suspended" => SettlementKind.DeadLetter,
            _ => null,
        };
        if (body[new MapKey("lock-tokens")] is not Guid[] tokens || kind is null)
        {
            return ManagementReply.BadRequest("lock-tokens (uuid[]) and a known disposition-status are required.");
        }

        var settlement = new Settlement(
            kind.Value,
            ToDictionary(body[new MapKey("properties-to-modify")] as AmqpMap),
            body[new MapKey("deadletter-reason")] as string,
            body[new MapKey("deadletter-description")] as string);
        foreach (Guid token in tokens)
        {
            switch (queue.Settle(deadLetterQueue, token, settlement))
            {
                case SettleResult.LockLost:
                    return ManagementReply.LockLost();
                case SettleResult.NotAllowed:
                    return ManagementReply.Error(400, AmqpErrorCode.NotAllowed, "A message cannot be dead-lettered from a dead-letter queue.");
            }
        }

        return ManagementReply.Ok(new AmqpMap());
    }

    /// <summary>The settlement a disposition's outcome asks for.</summary>
    public static Settlement FromOutcome(DeliveryState? state) => state switch
    {
        Accepted => new Settlement(SettlementKind.Complete),
        Modified modified => new Settlement(
            modified.UndeliverableHere == true ? SettlementKind.Defer : SettlementKind.Abandon,
            ToDictionary(modified.MessageAnnotations)),
        Rejected rejected => DeadLetter(rejected.Error),
        _ => new Settlement(SettlementKind.Release),
    };

    static Settlement DeadLetter(Error? error)
    {
        Dictionary<string, object?> properties = ToDictionary(error?.Info) ?? [];
        properties.Remove(DeadLetterReason, out object? reason);
        properties.Remove(DeadLetterErrorDescription, out object? description);
        return new Settlement(SettlementKind.DeadLetter, properties, reason as string, description as string);
    }

    static Dictionary<string, object?>? ToDictionary(AmqpMap? map)
    {
        if (map is null)
        {
            return null;
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<MapKey, object> pair in map)
        {
            string key = pair.Key.Key is AmqpSymbol symbol ? symbol.Value : pair.Key.Key.ToString()!;
            result[key] = pair.Value;
        }

        return result;
    }
}
