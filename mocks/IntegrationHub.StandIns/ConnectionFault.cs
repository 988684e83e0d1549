namespace IntegrationHub.StandIns;

/// <summary>
/// What the stand-in does to the connection instead of answering, after it has read the request.
/// WireMock.Net cannot do these; the stand-in's own front does them on the connection's socket.
/// </summary>
public enum ConnectionFault
{
    /// <summary>The connection is reset (TCP RST): the client reads "connection reset by peer".</summary>
    ConnectionReset,

    /// <summary>The connection is closed without a byte of answer: the response ended prematurely.</summary>
    EmptyResponse,

    /// <summary>A 200 status line and headers, then a chunked body whose chunk header is garbage, then the connection closes.</summary>
    MalformedChunk,

    /// <summary>Random bytes instead of a status line, then the connection closes.</summary>
    RandomData,
}
