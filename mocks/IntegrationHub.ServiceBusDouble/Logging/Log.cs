using Microsoft.Extensions.Logging;

namespace IntegrationHub.ServiceBusDouble.Logging;

/// <summary>The double's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Service Bus double listening on 127.0.0.1:{Port}")]
    public static partial void Listening(ILogger logger, int port);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Line}")]
    public static partial void Frame(ILogger logger, string line);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "A connection failed to open")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "An administration request failed")]
    public static partial void AdminRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Queue {Queue} declared")]
    public static partial void QueueDeclared(ILogger logger, string queue);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Snapshot of {Count} messages {Action} {Path}")]
    public static partial void Snapshot(ILogger logger, int count, string action, string path);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "A request on a $management or $cbs node failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception);
}
