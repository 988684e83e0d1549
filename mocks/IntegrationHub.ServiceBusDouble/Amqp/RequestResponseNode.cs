using System.Collections.Concurrent;
using System.Runtime.Serialization;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// A request/response node (<c>$cbs</c>, <c>$management</c>): requests arrive on the client's sending
/// link; the reply goes back on the client's receiving link whose target is the request's reply-to,
/// with the request's message-id as correlation-id (azure-amqp <c>RequestResponseAmqpLink</c>).
/// </summary>
internal abstract class RequestResponseNode
{
    readonly ConcurrentDictionary<(AmqpConnection, string), SendingAmqpLink> replyLinks = new();

    /// <summary>Attaches one of the two links; <paramref name="handler"/> answers the requests of a request link.</summary>
    protected void Attach(AmqpLink link, Func<AmqpMessage, AmqpMessage> handler)
    {
        if (link is ReceivingAmqpLink requests)
        {
            requests.RegisterMessageListener(request => OnRequest(requests, request, handler));
            requests.SetTotalLinkCredit(50u, applyNow: true, updateAutoFlow: true);
            return;
        }

        var replies = (SendingAmqpLink)link;
        var key = (replies.Session.Connection, ((Target)replies.Settings.Target).Address.ToString()!);
        replyLinks[key] = replies;
        replies.Closed += (_, _) => replyLinks.TryRemove(key, out _);
    }

    void OnRequest(ReceivingAmqpLink link, AmqpMessage request, Func<AmqpMessage, AmqpMessage> handler)
    {
        using (request)
        {
            string? replyTo = request.Properties?.ReplyTo?.ToString();
            if (replyTo is null || !replyLinks.TryGetValue((link.Session.Connection, replyTo), out SendingAmqpLink? replies))
            {
                link.DisposeDelivery(request, true, new Rejected { Error = new Error { Condition = AmqpErrorCode.NotFound, Description = "No reply link is attached for the request's reply-to." } });
                return;
            }

            AmqpMessage response;
            try
            {
                response = handler(request);
            }
            catch (Exception exception) when (exception is AmqpException or InvalidCastException or SerializationException)
            {
                // A request the node cannot read: answered, so the client fails now rather than at its timeout.
                response = ManagementReply.Error(500, AmqpErrorCode.InternalError, exception.Message);
            }

            response.Properties.CorrelationId = request.Properties!.MessageId;

            // Disposed even when the client sent it settled (the SDK does): that gives the link its
            // credit back and moves the session's window, without a disposition frame.
            link.DisposeDelivery(request, true, AmqpConstants.AcceptedOutcome);

            replies.SendMessageNoWait(response, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
        }
    }
}
