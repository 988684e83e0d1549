using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>A message waiting in <c>hub_outbox</c> to be published.</summary>
internal sealed record OutboxMessage(long Id, string Queue, OutgoingMessage Message, string CopyId, int Deliveries, DateTimeOffset DueAt);
