namespace IntegrationHub.Core.Messaging;

/// <summary>A message to send.</summary>
public sealed record OutgoingMessage : MessageContent
{
    /// <summary>Deliver no earlier than this instant (scheduled delivery).</summary>
    public DateTimeOffset? ScheduledEnqueueTimeUtc { get; init; }
}
