namespace IntegrationHub.Core.Messaging;

/// <summary>Starts units of work on the hub's store.</summary>
public interface IHubTransactions
{
    /// <summary>Starts a unit of work.</summary>
    ValueTask<IHubTransaction> BeginAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a unit of work and commits it when the work returns (the work
    /// does not commit it); a failure rolls it back. The result is returned once the commit is durable.
    /// The work writes to the store and sends, nothing else: a store may run it on its writer, between
    /// other units of work, so that a short one costs no hand-over.
    /// </summary>
    async Task<T> RunAsync<T>(Func<IHubTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var transaction = await BeginAsync(cancellationToken);
        var result = await work(transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
