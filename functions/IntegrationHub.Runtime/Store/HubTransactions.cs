using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Store;

/// <summary>Begins hub transactions on the hub writer for a transport.</summary>
internal sealed class HubTransactions(HubWriter writer, IOutgoingWriter outgoing, OpenTransactions open, TimeProvider time) : IHubTransactions
{
    // Not async: the writer marks this flow as inside a transaction, and that mark must reach the caller.
    public ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken) => new(StartAsync(writer.BeginAsync(cancellationToken)));

    /// <summary>The work runs on the writer's thread between its other operations, with no hand-over of the connection.</summary>
    public async Task<T> RunAsync<T>(Func<IHubTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        HubStoreTransaction? ran = null;
        var result = await writer.RunInTransactionAsync(
            async (lent, token) =>
            {
                var transaction = open.Begun(new HubStoreTransaction(lent, outgoing, open, time, committedByWriter: true));
                try
                {
                    var answer = await work(transaction, token);
                    ran = transaction;
                    return answer;
                }
                finally
                {
                    open.Ended(transaction);
                }
            },
            cancellationToken);
        ran?.Committed();
        return result;
    }

    private async Task<IHubTransaction> StartAsync(Task<WriterTransaction> started) => open.Begun(new HubStoreTransaction(await started, outgoing, open, time));
}
