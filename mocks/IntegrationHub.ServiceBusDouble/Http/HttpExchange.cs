using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace IntegrationHub.ServiceBusDouble.Http;

/// <summary>An HTTP/1.1 request as the administration client sends it.</summary>
internal sealed record AdminRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>An HTTP response of the administration endpoint.</summary>
internal sealed record AdminResponse(int Status, string Reason, string ContentType, string Body);

/// <summary>
/// HTTP/1.1 over a socket the shared port handed over: enough of the protocol for
/// <c>ServiceBusAdministrationClient</c> (requests with Content-Length or chunked bodies,
/// keep-alive, <c>Expect: 100-continue</c>).
/// </summary>
internal sealed class HttpExchange(Stream stream)
{
    const int MaxHeaderBytes = 64 * 1024;
    const int MaxBodyBytes = 4 * 1024 * 1024;
    readonly byte[] buffer = new byte[16 * 1024];
    int start;
    int end;

    /// <summary>The next request on the connection, or null when the client closed it.</summary>
    public async Task<AdminRequest?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        string? requestLine = await ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(requestLine))
        {
            return null;
        }

        string[] parts = requestLine.Split(' ', 3);
        if (parts.Length < 3)
        {
            throw new InvalidDataException($"Malformed request line '{requestLine}'.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int headerBytes = 0;
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            headerBytes += line.Length;
            if (headerBytes > MaxHeaderBytes)
            {
                throw new InvalidDataException("Request headers are too large.");
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        if (headers.TryGetValue("Expect", out string? expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken);
        }

        byte[] body = await ReadBodyAsync(headers, cancellationToken);
        return new AdminRequest(parts[0], parts[1], headers, Encoding.UTF8.GetString(body));
    }

    public async Task WriteResponseAsync(AdminResponse response, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(response.Body);
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {response.Status} {response.Reason}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nServer: IntegrationHub.ServiceBusDouble\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    async Task<byte[]> ReadBodyAsync(Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        if (headers.TryGetValue("Transfer-Encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            using var body = new MemoryStream();
            while (true)
            {
                string sizeLine = await ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException();
                int size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (await ReadLineAsync(cancellationToken) is { Length: > 0 })
                    {
                    }

                    return body.ToArray();
                }

                if (size > MaxBodyBytes - body.Length)
                {
                    throw new InvalidDataException("The request body is too large.");
                }

                body.Write(await ReadExactlyAsync(size, cancellationToken));
                await ReadLineAsync(cancellationToken);
            }
        }

        if (!headers.TryGetValue("Content-Length", out string? length) || !int.TryParse(length, CultureInfo.InvariantCulture, out int count) || count <= 0)
        {
            return [];
        }

        return count <= MaxBodyBytes ? await ReadExactlyAsync(count, cancellationToken) : throw new InvalidDataException("The request body is too large.");
    }

    async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        int copied = 0;
        while (copied < count)
        {
            if (start == end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException();
            }

            int take = Math.Min(count - copied, end - start);
            Array.Copy(buffer, start, result, copied, take);
            start += take;
            copied += take;
        }

        return result;
    }

    async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end && !await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : line.ToString();
            }

            byte next = buffer[start++];
            if (next == (byte)'\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)next);
        }
    }

    async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        try
        {
            start = 0;
            end = await stream.ReadAsync(buffer, cancellationToken);
            return end > 0;
        }
        catch (IOException exception) when (exception.InnerException is SocketException)
        {
            end = 0;
            return false;
        }
    }
}
