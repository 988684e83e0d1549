using IntegrationHub.ServiceBusDouble.Broker;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// An entity's <c>$management</c> node: the operations the SDK's <c>AmqpSender</c> and
/// <c>AmqpReceiver</c> send (docs: service-bus-amqp-request-response.md), with the reply value
/// types the SDK checks exactly (<c>long[]</c> sequence numbers, <c>DateTime[]</c> expirations,
/// a list of maps with a binary <c>message</c>).
/// </summary>
internal sealed class ManagementNode(FrameLog frames) : RequestResponseNode
{
    public void Attach(AmqpLink link, DoubleQueue queue, bool deadLetterQueue) =>
        Attach(link, request => Handle(link.Session.Connection, request, queue, deadLetterQueue));

    AmqpMessage Handle(AmqpConnection connection, AmqpMessage request, DoubleQueue queue, bool deadLetterQueue)
    {
        string? operation = request.ApplicationProperties?.Map["operation"] as string;
        AmqpMap body = request.ValueBody?.Value as AmqpMap ?? new AmqpMap();
        AmqpMessage reply = operation switch
        {
            "com.microsoft:renew-lock" => RenewLock(body, queue, deadLetterQueue),
            "com.microsoft:peek-message" => Peek(body, queue, deadLetterQueue),
            "com.microsoft:schedule-message" => deadLetterQueue ? NotAllowed() : Schedule(body, queue),
            "com.microsoft:cancel-scheduled-message" => Cancel(body, queue),
            "com.microsoft:update-disposition" => ManagementSettlement.UpdateDisposition(body, queue, deadLetterQueue),
            "com.microsoft:receive-by-sequence-number" => ReceiveBySequenceNumber(body, queue, deadLetterQueue),
            _ => ManagementReply.Error(501, AmqpErrorCode.NotImplemented,
                $"The Service Bus double does not serve '{operation}' (sessions, rules and batch delete are left out)."),
        };
        frames.Note(connection, $"$management {operation} on {queue.Entity(deadLetterQueue).Path}: {reply.ApplicationProperties.Map["statusCode"]}");
        return reply;
    }

    static AmqpMessage RenewLock(AmqpMap body, DoubleQueue queue, bool deadLetterQueue)
    {
        if (body[new MapKey("lock-tokens")] is not Guid[] tokens)
        {
            return ManagementReply.BadRequest("lock-tokens (uuid[]) is required.");
        }

        var expirations = new DateTime[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            if (queue.RenewLock(deadLetterQueue, tokens[i]) is not { } lockedUntil)
            {
                return ManagementReply.LockLost();
            }

            expirations[i] = lockedUntil.UtcDateTime;
        }

        return ManagementReply.Ok(ManagementReply.Body("expirations", expirations));
    }

    static AmqpMessage Peek(AmqpMap body, DoubleQueue queue, bool deadLetterQueue)
    {
        if (body[new MapKey("from-sequence-number")] is not long from || body[new MapKey("message-count")] is not int count)
        {
            return ManagementReply.BadRequest("from-sequence-number (long) and message-count (int) are required.");
        }

        IReadOnlyList<ArraySegment<byte>> messages = queue.Peek(deadLetterQueue, from, count);
        return messages.Count == 0
            ? ManagementReply.NoContent("No messages to peek.")
            : ManagementReply.Ok(ManagementReply.Body("messages", messages.Select(m => ManagementReply.Body("message", m)).ToList()));
    }

    static AmqpMessage Schedule(AmqpMap body, DoubleQueue queue)
    {
        if (body[new MapKey("messages")] is not IList<object> entries)
        {
            return ManagementReply.BadRequest("messages (a list of maps) is required.");
        }

        var encoded = new List<byte[]>();
        foreach (object entry in entries)
        {
            if (entry is not AmqpMap map || map[new MapKey("message")] is not ArraySegment<byte> message)
            {
                return ManagementReply.BadRequest("Each scheduled message needs a binary 'message'.");
            }

            encoded.Add(message.ToArray());
        }

        return ManagementReply.Ok(ManagementReply.Body("sequence-numbers", queue.Schedule(encoded)));
    }

    /// <summary>A namespace answers unknown numbers with "Messages not found" (Azure/azure-service-bus#239).</summary>
    static AmqpMessage Cancel(AmqpMap body, DoubleQueue queue)
    {
        if (body[new MapKey("sequence-numbers")] is not long[] sequenceNumbers)
        {
            return ManagementReply.BadRequest("sequence-numbers (long[]) is required.");
        }

        IReadOnlyList<long> missing = queue.CancelScheduled(sequenceNumbers);
        return missing.Count == 0
            ? ManagementReply.Ok(new AmqpMap())
            : ManagementReply.Error(404, ManagementReply.MessageNotFound, $"Messages not found. Missing sequence numbers: {string.Join(", ", missing)}");
    }

    static AmqpMessage ReceiveBySequenceNumber(AmqpMap body, DoubleQueue queue, bool deadLetterQueue)
    {
        if (body[new MapKey("sequence-numbers")] is not long[] sequenceNumbers)
        {
            return ManagementReply.BadRequest("sequence-numbers (long[]) is required.");
        }

        bool peekLock = body[new MapKey("receiver-settle-mode")] is not uint mode || mode != 0;
        var received = queue.ReceiveDeferred(deadLetterQueue, sequenceNumbers, peekLock);
        if (received is null)
        {
            return ManagementReply.Error(404, ManagementReply.MessageNotFound,
                "Failed to lock one or more specified messages. Either the message is already locked or does not exist.");
        }

        var messages = received.Select(r =>
        {
            AmqpMap entry = ManagementReply.Body("message", r.Message);
            if (peekLock)
            {
                entry[new MapKey("lock-token")] = r.LockToken;
            }

            return entry;
        }).ToList();
        return ManagementReply.Ok(ManagementReply.Body("messages", messages));
    }

    static AmqpMessage NotAllowed() =>
        ManagementReply.Error(400, AmqpErrorCode.NotAllowed, "Messages cannot be sent or scheduled to a dead-letter queue.");
}
