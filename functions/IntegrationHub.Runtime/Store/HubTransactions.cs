using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Store;

/// <summary>Begins hub transactions on the hub writer for a transport.</summary>
internal sealed class HubTransactions(HubWriter writer, IOutgoingWriter outgoing, OpenTransactions open, TimeProvider time) : IHubTransactions
{
    // Not async: the writer marks this flow as inside a transaction, and that mark must reach the caller.
    public ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken) => new(StartAsync(writer.BeginAsync(cancellationToken)));

    private async Task<IHubTransaction> StartAsync(Task<WriterTransaction> started) => open.Begun(new HubStoreTransaction(await started, outgoing, open, time));
}
