namespace IntegrationHub.Runtime.Queues;

/// <summary>A registered queue transport's name, a value <c>Messaging:Transport</c> may take.</summary>
internal sealed record QueueTransportName(string Name);
