using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;

namespace IntegrationHub.Runtime.Functions;

/// <summary>The roles of the configured transport a queue function's processor uses.</summary>
/// <param name="Receiver">Receives the function's messages under a peek-lock.</param>
/// <param name="Settlement">Completes, abandons, dead-letters and renews them by queue and lock token.</param>
/// <param name="Admin">Declares the function's queue.</param>
/// <param name="Control">Sets the prefetch of a broker that pushes, and stops it at shutdown.</param>
internal sealed record QueuePorts(IQueueReceiver Receiver, IQueueSettlement Settlement, IQueueAdmin Admin, IReceiverControl Control);
