using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Xml;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.ServiceBusDouble.Http;

/// <summary>Serves the administration endpoint on connections whose first bytes are not AMQP's.</summary>
internal sealed class AdminHttpServer(AdminApi api, FrameLog frames, ILogger logger)
{
    public async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        string authority = "127.0.0.1:" + ((IPEndPoint)socket.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var exchange = new HttpExchange(stream);
        try
        {
            while (!cancellationToken.IsCancellationRequested && await exchange.ReadRequestAsync(cancellationToken) is { } request)
            {
                AdminResponse response = api.Handle(request, request.Headers.GetValueOrDefault("Host") ?? authority);
                frames.Note(null, $"http {request.Method} {request.Target}: {response.Status}");
                await exchange.WriteResponseAsync(response, cancellationToken);
                if (request.Headers.TryGetValue("Connection", out string? connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The double is stopping.
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or FormatException or XmlException or UriFormatException)
        {
            Log.AdminRequestFailed(logger, exception);
        }
    }
}
