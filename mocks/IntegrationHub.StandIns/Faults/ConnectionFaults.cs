using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.StandIns.Faults;

/// <summary>
/// Does a <see cref="ConnectionFault"/> on the socket of the connection a request came on, then
/// aborts the connection in Kestrel, so that nothing else is written to it.
/// </summary>
internal static class ConnectionFaults
{
    private static readonly byte[] ChunkedHead = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "10\r\n{\"error_code\":\"0\r\n");

    /// <summary>The fault a <c>X-StandIn-Fault</c> header names (<c>connection-reset</c>, <c>empty-response</c>, <c>malformed-chunk</c>, <c>random-data</c>), or null.</summary>
    public static ConnectionFault? Named(string? name) => name switch
    {
        "connection-reset" => ConnectionFault.ConnectionReset,
        "empty-response" => ConnectionFault.EmptyResponse,
        "malformed-chunk" => ConnectionFault.MalformedChunk,
        "random-data" => ConnectionFault.RandomData,
        _ => null,
    };

    /// <summary>The header value that names a fault.</summary>
    public static string NameOf(ConnectionFault fault) => fault switch
    {
        ConnectionFault.ConnectionReset => "connection-reset",
        ConnectionFault.EmptyResponse => "empty-response",
        ConnectionFault.MalformedChunk => "malformed-chunk",
        ConnectionFault.RandomData => "random-data",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "Not a connection fault."),
    };

    public static async Task ApplyAsync(HttpContext context, ConnectionFault fault)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket
            ?? throw new InvalidOperationException("The stand-in's server gives no socket for the connection.");
        switch (fault)
        {
            case ConnectionFault.ConnectionReset:
                // Linger 0: closing sends RST instead of FIN.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                break;
            case ConnectionFault.EmptyResponse:
                socket.Shutdown(SocketShutdown.Send);
                break;
            case ConnectionFault.MalformedChunk:
                await socket.SendAsync(ChunkedHead.Concat(Garbage()).ToArray(), SocketFlags.None, context.RequestAborted);
                socket.Shutdown(SocketShutdown.Send);
                break;
            case ConnectionFault.RandomData:
                await socket.SendAsync(Garbage(), SocketFlags.None, context.RequestAborted);
                socket.Shutdown(SocketShutdown.Send);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "Not a connection fault.");
        }

        context.Abort();
    }

    /// <summary>Bytes that are neither a status line nor a chunk header: none is a digit, a letter or a line end.</summary>
    private static byte[] Garbage()
    {
        var bytes = RandomNumberGenerator.GetBytes(256);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(0x80 | bytes[i]);
        }

        return bytes;
    }
}
