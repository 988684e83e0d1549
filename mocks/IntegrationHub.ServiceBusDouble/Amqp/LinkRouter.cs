using IntegrationHub.ServiceBusDouble.Broker;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Transaction;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// Decides what an attaching link is: <c>$cbs</c>, an entity's <c>$management</c> node, or a send or
/// receive link on a queue or its dead-letter queue. Refusals are AMQP errors the SDK surfaces:
/// <c>amqp:not-found</c> (MessagingEntityNotFound), <c>amqp:unauthorized-access</c>
/// (UnauthorizedAccessException), <c>amqp:not-implemented</c> (NotSupportedException).
/// </summary>
internal sealed class LinkRouter(DoubleNamespace ns, CbsNode cbs, ManagementNode management, ConnectionClaims claims, FrameLog frames)
{
    static readonly AmqpSymbol SessionFilter = "com.microsoft:session-filter";
    static readonly AmqpSymbol NonExclusiveSessionFilter = "com.microsoft:non-exclusive-session-filter";

    public void Attach(AmqpLink link)
    {
        if (link.Settings.Target is Coordinator)
        {
            throw Refuse(AmqpErrorCode.NotImplemented, "Transactions are not supported by the Service Bus double.");
        }

        string address = (link.IsReceiver ? (link.Settings.Target as Target)?.Address : (link.Settings.Source as Source)?.Address)?.ToString()
            ?? throw Refuse(AmqpErrorCode.InvalidField, "The link has no address.");
        frames.Note(link.Session.Connection,
            $"attach {(link.IsReceiver ? "client-sender" : "client-receiver")} '{link.Name}' address={address} settle={link.Settings.SettleType}");
        EntityAddress entity = EntityAddress.Parse(address);
        if (entity.Cbs)
        {
            cbs.Attach(link);
            return;
        }

        DoubleQueue queue = ns.Find(entity.Queue)
            ?? throw Refuse(AmqpErrorCode.NotFound, $"The messaging entity '{entity.Path}' could not be found.");
        if (!claims.Covers(link.Session.Connection, address))
        {
            throw Refuse(AmqpErrorCode.UnauthorizedAccess, $"Unauthorized access: no token put on $cbs covers '{address}'.");
        }

        if (entity.Management)
        {
            management.Attach(link, queue, entity.DeadLetterQueue);
        }
        else if (link is ReceivingAmqpLink sends)
        {
            AttachSender(sends, queue, entity);
        }
        else
        {
            AttachReceiver((SendingAmqpLink)link, queue, entity);
        }
    }

    void AttachSender(ReceivingAmqpLink link, DoubleQueue queue, EntityAddress entity)
    {
        if (entity.DeadLetterQueue)
        {
            throw Refuse(AmqpErrorCode.NotAllowed, "Messages cannot be sent to a dead-letter queue.");
        }

        _ = new SendLinkEndpoint(queue, link, frames);
    }

    void AttachReceiver(SendingAmqpLink link, DoubleQueue queue, EntityAddress entity)
    {
        FilterSet? filters = (link.Settings.Source as Source)?.FilterSet;
        if (filters is not null && (filters.TryGetValue(SessionFilter, out object _) || filters.TryGetValue(NonExclusiveSessionFilter, out object _)))
        {
            throw Refuse(AmqpErrorCode.NotImplemented, "Sessions are not supported by the Service Bus double.");
        }

        _ = new ReceiveLinkEndpoint(queue, entity.DeadLetterQueue, link, frames);
    }

    static AmqpException Refuse(AmqpSymbol condition, string description) => new(condition, description);
}
