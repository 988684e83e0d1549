using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Azure.Amqp;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.ServiceBusDouble.Logging;

/// <summary>
/// A transcript of the double's AMQP traffic, one line per frame (its performative and size, from
/// azure-amqp's usage meter on each connection) and one per event the double acts on (attach
/// details, put-token decisions, message summaries, settlements), to the logger, to memory and
/// optionally to a file, so it can be set beside a real namespace's transcript.
/// </summary>
internal sealed class FrameLog : IAmqpUsageMeter, IDisposable
{
    const int Capacity = 100_000;

    readonly ILogger logger;
    readonly TimeProvider time;
    readonly ConcurrentQueue<string> lines = new();
    readonly StreamWriter? file;
    readonly object fileGate = new();

    public FrameLog(ILogger logger, TimeProvider time, string? path)
    {
        this.logger = logger;
        this.time = time;
        if (path is not null)
        {
            file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    public IReadOnlyList<string> Lines() => [.. lines];

    /// <summary>Writes a line about a connection (or the listener, when it is null).</summary>
    public void Note(AmqpConnection? connection, string text) => Write(connection, "NOTE", text);

    public void OnRead(AmqpConnection connection, ulong frameCode, int numberOfBytes) =>
        Write(connection, "RECV", Performative(frameCode) + " " + numberOfBytes.ToString(CultureInfo.InvariantCulture) + "B");

    public void OnWrite(AmqpConnection connection, ulong frameCode, int numberOfBytes) =>
        Write(connection, "SEND", Performative(frameCode) + " " + numberOfBytes.ToString(CultureInfo.InvariantCulture) + "B");

    public void OnTransportWrite(int bufferSize, int writeSize, long queueSize, long latencyTicks)
    {
    }

    public void OnTransportRead(int bufferSize, int readSize, int cacheHits, long latencyTicks)
    {
    }

    public void Dispose()
    {
        lock (fileGate)
        {
            file?.Dispose();
        }
    }

    void Write(AmqpConnection? connection, string direction, string text)
    {
        string at = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        string line = $"{at} {(connection is null ? "listener" : "conn-" + connection.Identifier)} {direction} {text}";
        lines.Enqueue(line);
        while (lines.Count > Capacity && lines.TryDequeue(out _))
        {
        }

        Log.Frame(logger, line);
        lock (fileGate)
        {
            file?.WriteLine(line);
        }
    }

    /// <summary>The performative a frame's descriptor code names (AMQP 1.0 part 2, section 2.7); 0 is an empty frame or header.</summary>
    static string Performative(ulong code) => code switch
    {
        0x10 => "open",
        0x11 => "begin",
        0x12 => "attach",
        0x13 => "flow",
        0x14 => "transfer",
        0x15 => "disposition",
        0x16 => "detach",
        0x17 => "end",
        0x18 => "close",
        0 => "empty",
        _ => "0x" + code.ToString("x2", CultureInfo.InvariantCulture),
    };
}
