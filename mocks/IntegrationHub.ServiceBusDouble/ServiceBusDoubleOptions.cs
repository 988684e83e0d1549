using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.ServiceBusDouble;

/// <summary>How a <see cref="ServiceBusDouble"/> starts.</summary>
public sealed class ServiceBusDoubleOptions
{
    /// <summary>The key of the double's one shared access rule unless another is set: 32 bytes, base64.</summary>
    public const string DefaultKey = "SGFub2lTZXJ2aWNlQnVzRG91YmxlVGVzdEtleTAxMjM=";

    /// <summary>The loopback port to listen on. <value>Default 0: a free port.</value></summary>
    public int Port { get; set; }

    /// <summary>The name of the shared access rule. <value>Default <c>RootManageSharedAccessKey</c>.</value></summary>
    public string KeyName { get; set; } = "RootManageSharedAccessKey";

    /// <summary>The rule's key, which signatures are checked against. <value>Default <see cref="DefaultKey"/>.</value></summary>
    public string Key { get; set; } = DefaultKey;

    /// <summary>The clock of lock expiry, scheduled enqueue, duplicate windows and time to live. <value>Default the system clock.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the double logs, its frame log at Debug level. <value>Default none.</value></summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>A file the frame log is appended to as well. <value>Default none.</value></summary>
    public string? FrameLogPath { get; set; }

    /// <summary>
    /// A file the messages are saved to when the double stops and loaded from when it starts, so they
    /// survive a restart of the double. <value>Default none: messages live in memory only.</value>
    /// </summary>
    public string? SnapshotPath { get; set; }

    /// <summary>Queues to declare at start with default settings.</summary>
    public IList<string> Queues { get; } = [];
}
