using System.Collections.Concurrent;
using System.Data.Common;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub transactions this store has begun and not yet ended. A store port handed an
/// <see cref="IHubTransaction"/> finds its connection here, as a queue finds a message by its lock
/// token: a transaction this store did not begin (another host's, one already ended, a test's own) is
/// refused by name instead of being written on the wrong database.
/// </summary>
public sealed class OpenTransactions
{
    private readonly ConcurrentDictionary<IHubTransaction, IHubStoreTransaction> open = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// A command on the connection of <paramref name="transaction"/>, part of it: for a component that
    /// keeps tables of its own beside the hub's and changes them with its messages.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transaction was not begun on this store, or has ended.</exception>
    public DbCommand CreateCommand(IHubTransaction transaction, string sql) => Of(transaction).CreateCommand(sql);

    /// <summary>Records a transaction begun on this store, until <see cref="Ended"/>.</summary>
    internal T Begun<T>(T transaction)
        where T : IHubStoreTransaction
    {
        open[transaction] = transaction;
        return transaction;
    }

    internal void Ended(IHubTransaction transaction) => open.TryRemove(transaction, out _);

    /// <summary>The store side of a transaction this store began and has not ended.</summary>
    /// <exception cref="InvalidOperationException">It is not one.</exception>
    internal IHubStoreTransaction Of(IHubTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return open.TryGetValue(transaction, out var store)
            ? store
            : throw new InvalidOperationException("The transaction was not begun on this hub store, or it has ended: begin it with this host's IHubTransactions.");
    }
}
