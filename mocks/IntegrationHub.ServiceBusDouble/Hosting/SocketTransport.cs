using System.Net.Sockets;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Transport;

namespace IntegrationHub.ServiceBusDouble.Hosting;

/// <summary>
/// An azure-amqp transport over an accepted socket. azure-amqp 2.7.3 keeps its own TCP transport
/// internal, so the shared port hands AMQP connections over through this one, modelled on the
/// library's public <c>WebSocketTransport</c>.
/// </summary>
internal sealed class SocketTransport : TransportBase
{
    readonly Socket socket;
    readonly NetworkStream stream;

    public SocketTransport(Socket socket)
        : base("tcp")
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        LocalEndPoint = socket.LocalEndPoint?.ToString() ?? string.Empty;
        RemoteEndPoint = socket.RemoteEndPoint?.ToString() ?? string.Empty;
    }

    public override string LocalEndPoint { get; }

    public override string RemoteEndPoint { get; }

    public override void SetMonitor(ITransportMonitor usageMeter)
    {
    }

    public override bool WriteAsync(TransportAsyncCallbackArgs args)
    {
        ReadOnlyMemory<byte> buffer = Gather(args);
        Task write = stream.WriteAsync(buffer).AsTask();
        if (write.IsCompleted)
        {
            Complete(args, write, buffer.Length);
            return false;
        }

        write.ContinueWith(t =>
        {
            Complete(args, t, buffer.Length);
            args.CompletedCallback(args);
        }, TaskScheduler.Default);
        return true;
    }

    public override bool ReadAsync(TransportAsyncCallbackArgs args)
    {
        Task<int> read = stream.ReadAsync(args.Buffer, args.Offset, args.Count);
        if (read.IsCompleted)
        {
            Complete(args, read, read.IsCompletedSuccessfully ? read.Result : 0);
            return false;
        }

        read.ContinueWith(t =>
        {
            Complete(args, t, t.IsCompletedSuccessfully ? t.Result : 0);
            args.CompletedCallback(args);
        }, TaskScheduler.Default);
        return true;
    }

    protected override bool CloseInternal()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The peer is already gone.
        }

        stream.Dispose();
        return true;
    }

    protected override void AbortInternal() => stream.Dispose();

    static ReadOnlyMemory<byte> Gather(TransportAsyncCallbackArgs args)
    {
        if (args.Buffer is not null)
        {
            return new ReadOnlyMemory<byte>(args.Buffer, args.Offset, args.Count);
        }

        var merged = new byte[args.ByteBufferList.Sum(b => b.Length)];
        int offset = 0;
        foreach (ByteBuffer part in args.ByteBufferList)
        {
            Buffer.BlockCopy(part.Buffer, part.Offset, merged, offset, part.Length);
            offset += part.Length;
        }

        return merged;
    }

    static void Complete(TransportAsyncCallbackArgs args, Task task, int bytes)
    {
        if (task.IsFaulted)
        {
            args.Exception = task.Exception!.InnerException;
        }
        else if (task.IsCanceled)
        {
            args.Exception = new OperationCanceledException();
        }
        else
        {
            args.BytesTransfered = bytes;
        }
    }
}
