using System.Runtime.Serialization;
using IntegrationHub.ServiceBusDouble.Broker;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// The double's end of a client's sending link to a queue: each transfer (one message, or an SDK
/// batch) is enqueued and answered Accepted, which is the outcome <c>AmqpSender</c> waits for.
/// </summary>
internal sealed class SendLinkEndpoint
{
    /// <summary>The Standard tier's limit, advertised in the attach frame as the SDK's sender reads it.</summary>
    public const ulong MaxMessageSize = 256 * 1024;

    readonly DoubleQueue queue;
    readonly ReceivingAmqpLink link;
    readonly FrameLog frames;

    public SendLinkEndpoint(DoubleQueue queue, ReceivingAmqpLink link, FrameLog frames)
    {
        this.queue = queue;
        this.link = link;
        this.frames = frames;
        link.RegisterMessageListener(OnTransfer);
    }

    void OnTransfer(AmqpMessage transfer)
    {
        using (transfer)
        {
            if (transfer.SerializedMessageSize > (long)MaxMessageSize)
            {
                link.DisposeMessage(transfer, new Rejected { Error = new Error
                {
                    Condition = AmqpErrorCode.MessageSizeExceeded,
                    Description = $"The received message (size {transfer.SerializedMessageSize} bytes) exceeds the limit ({MaxMessageSize} bytes).",
                } }, settled: true, batchable: false);
                return;
            }

            IReadOnlyList<byte[]> messages;
            try
            {
                messages = MessageCodec.Split(transfer);
                queue.Send(messages);
            }
            catch (Exception exception) when (exception is AmqpException or InvalidCastException or SerializationException)
            {
                link.DisposeMessage(transfer, new Rejected { Error = new Error { Condition = AmqpErrorCode.DecodeError, Description = exception.Message } }, settled: true, batchable: false);
                return;
            }

            frames.Note(link.Session.Connection, Summary(messages));
            link.DisposeMessage(transfer, AmqpConstants.AcceptedOutcome, settled: true, batchable: transfer.Batchable);
        }
    }

    string Summary(IReadOnlyList<byte[]> messages) =>
        $"enqueued {messages.Count} message(s) on {queue.Name}: " +
        string.Join(", ", messages.Select(m => $"id={MessageCodec.Read(m).MessageId ?? "-"} {m.Length}B"));
}
