using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Amqp.Transport;

namespace IntegrationHub.ServiceBusDouble.Hosting;

/// <summary>
/// One loopback port for both clients, as a <c>UseDevelopmentEmulator=true</c> connection string
/// needs: the SDK's AMQP client and its administration client (plain HTTP) both use the endpoint's
/// host and port (<c>ServiceBusConnection</c>, <c>ServiceBusAdministrationClient</c>). A connection
/// whose first byte is 'A' (an AMQP protocol header is "AMQP...") goes to azure-amqp, any other to
/// the HTTP administration endpoint.
/// </summary>
internal sealed class SharedPortListener : TransportListener
{
    readonly Socket socket;
    readonly Func<Socket, CancellationToken, Task> serveHttp;
    readonly CancellationTokenSource stopping = new();

    public SharedPortListener(int port, Func<Socket, CancellationToken, Task> serveHttp)
        : base("shared-port-listener")
    {
        this.serveHttp = serveHttp;
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(128);
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    protected override void OnListen() => _ = AcceptAsync();

    protected override bool CloseInternal()
    {
        Stop();
        return true;
    }

    protected override void AbortInternal() => Stop();

    void Stop()
    {
        if (!stopping.IsCancellationRequested)
        {
            stopping.Cancel();
            socket.Dispose();
        }
    }

    async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // As azure-amqp's own TCP listener does: a peer writes small frames (an AMQP disposition or
            // flow, an HTTP reply) that must not wait for the acknowledgement of the segment before.
            client.NoDelay = true;
            _ = RouteAsync(client);
        }
    }

    async Task RouteAsync(Socket client)
    {
        var first = new byte[1];
        try
        {
            if (await client.ReceiveAsync(first, SocketFlags.Peek, stopping.Token) == 0)
            {
                client.Dispose();
                return;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return;
        }

        if (first[0] != (byte)'A')
        {
            await serveHttp(client, stopping.Token);
            return;
        }

        var transport = new SocketTransport(client);
        transport.Open();
        OnTransportAccepted(new TransportAsyncCallbackArgs { Transport = transport, CompletedSynchronously = false });
    }
}
