using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>A message to write to <c>hub_outbox</c>: published to <paramref name="Queue"/> once due.</summary>
internal readonly record struct OutboxEntry(string Queue, OutgoingMessage Message, string CopyId, int Deliveries, DateTimeOffset DueAt);
