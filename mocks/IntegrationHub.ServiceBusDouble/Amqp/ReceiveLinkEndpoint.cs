using IntegrationHub.ServiceBusDouble.Broker;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// The double's end of a client's receiving link: deliveries as link credit allows, each tagged
/// with its 16-byte lock token (the SDK reads the lock token from the delivery tag), and
/// dispositions confirmed with Accepted whatever the outcome, or Rejected with
/// <c>com.microsoft:message-lock-lost</c> for a lock that expired or is unknown.
/// </summary>
internal sealed class ReceiveLinkEndpoint : IDeliveryTarget
{
    readonly DoubleQueue queue;
    readonly SendingAmqpLink link;
    readonly bool deadLetterQueue;
    readonly FrameLog frames;

    public ReceiveLinkEndpoint(DoubleQueue queue, bool deadLetterQueue, SendingAmqpLink link, FrameLog frames)
    {
        this.queue = queue;
        this.link = link;
        this.deadLetterQueue = deadLetterQueue;
        this.frames = frames;
        link.RegisterCreditListener((_, _, _) => queue.Pump());
        link.RegisterDispositionListener(OnDisposition);
        link.Closed += (_, _) => queue.RemoveTarget(this);
        queue.AddTarget(this, deadLetterQueue);
    }

    public bool ReceiveAndDelete => link.Settings.SettleType == SettleMode.SettleOnSend;

    public bool HasCredit => link.LinkCredit > 0 && link.State == AmqpObjectState.Opened;

    public bool TrySend(AmqpMessage message, Guid lockToken)
    {
        Guid tag = lockToken == Guid.Empty ? Guid.NewGuid() : lockToken;
        message.DeliveryTag = new ArraySegment<byte>(tag.ToByteArray());
        string summary = $"delivered {queue.Entity(deadLetterQueue).Path} seq={message.MessageAnnotations.Map[MessageCodec.SequenceNumber]} " +
            $"delivery-count={message.Header.DeliveryCount} lock-token={(lockToken == Guid.Empty ? "-" : lockToken)}";
        if (!link.TrySendDelivery(message))
        {
            return false;
        }

        frames.Note(link.Session.Connection, summary);
        return true;
    }

    void OnDisposition(Delivery delivery)
    {
        Settlement settlement = ManagementSettlement.FromOutcome(delivery.State);
        SettleResult result = delivery.DeliveryTag.Count == 16
            ? queue.Settle(deadLetterQueue, new Guid(delivery.DeliveryTag), settlement)
            : SettleResult.LockLost;
        DeliveryState reply = result switch
        {
            SettleResult.Settled => AmqpConstants.AcceptedOutcome,
            SettleResult.NotAllowed => new Rejected { Error = new Error { Condition = AmqpErrorCode.NotAllowed, Description = "A message cannot be dead-lettered from a dead-letter queue." } },
            _ => new Rejected { Error = new Error { Condition = ManagementReply.MessageLockLost, Description = "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue." } },
        };
        frames.Note(link.Session.Connection, $"disposition {settlement.Kind} on {queue.Entity(deadLetterQueue).Path}: {result}");
        if (!delivery.Settled)
        {
            link.DisposeDelivery(delivery, true, reply);
        }
    }
}
