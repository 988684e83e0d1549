namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// A copy of a message as delivered: its id, which copy it is, when it was enqueued, and whether the
/// broker delivered it before (a delivery returned, or lost with its channel).
/// </summary>
internal readonly record struct ReceivedCopy(string MessageId, string CopyId, DateTimeOffset Enqueued, bool Redelivered);
