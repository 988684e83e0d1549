using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Transport;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// azure-amqp's hook for a broker (as its <c>test/TestAmqpBroker</c> uses it): connections, sessions
/// and links are created here, and every attach is routed before it completes.
/// </summary>
internal sealed class DoubleRuntimeProvider(LinkRouter router, IAmqpUsageMeter meter) : IRuntimeProvider
{
    public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, false, amqpSettings, connectionSettings) { UsageMeter = meter };

    public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings) => new(connection, settings, this);

    public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
    {
        // The attach frame the double answers with advertises the Standard tier's message size.
        settings.MaxMessageSize = SendLinkEndpoint.MaxMessageSize;
        return settings.Role == true ? new ReceivingAmqpLink(session, settings) : new SendingAmqpLink(session, settings);
    }

    public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        router.Attach(link);
        return new CompletedResult(callback, state);
    }

    public void EndOpenLink(IAsyncResult result)
    {
    }

    /// <summary>The attach is decided synchronously, so the open completes at once.</summary>
    sealed class CompletedResult : IAsyncResult
    {
        public CompletedResult(AsyncCallback callback, object state)
        {
            AsyncState = state;
            callback(this);
        }

        public object AsyncState { get; }

        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();

        public bool CompletedSynchronously => true;

        public bool IsCompleted => true;
    }
}
