namespace IntegrationHub.Runtime.Store;

/// <summary>
/// A hub transaction's commit found the message it recorded in the inbox already there: it took effect
/// before, and the transaction was rolled back (see <see cref="IHubStoreTransaction.RecordProcessedAsync"/>).
/// </summary>
internal sealed class AlreadyProcessedException(string consumer, string messageId, Exception inner)
    : Exception($"{consumer} processed message {messageId} before; this transaction was rolled back.", inner);
