using System.Data.Common;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub database: one store for the hub's state, its inbox and outbox, and (on the embedded
/// transport) its queues. Every migration contributed with
/// <see cref="HubStoreServiceCollectionExtensions.AddHubMigrations"/> is applied before a
/// connection is handed out.
/// </summary>
public interface IHubDatabase
{
    /// <summary>The database's SQL dialect.</summary>
    SqlDialect Dialect { get; }

    /// <summary>
    /// Opens a connection, for reads. A change that goes with messages or an inbox record belongs in
    /// an <see cref="IntegrationHub.Core.Messaging.IHubTransaction"/> instead, so that they commit together.
    /// </summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The hub transaction as the store sees it: the connection its state changes are written on.
/// Every command on <see cref="Connection"/> is part of the transaction; commit it with
/// <see cref="IntegrationHub.Core.Messaging.IHubTransaction.CommitAsync"/>, never with SQL.
/// </summary>
public interface IHubStoreTransaction : IntegrationHub.Core.Messaging.IHubTransaction
{
    /// <summary>The connection the transaction is open on.</summary>
    DbConnection Connection { get; }

    /// <summary>A command on the transaction's connection.</summary>
    DbCommand CreateCommand(string sql);
}

/// <summary>Reaching the store behind an <see cref="IntegrationHub.Core.Messaging.IHubTransaction"/>.</summary>
public static class HubTransactionExtensions
{
    /// <summary>The store side of a hub transaction, to write the state changes that commit with its messages.</summary>
    /// <exception cref="InvalidOperationException">The transaction was not begun by the hub's runtime.</exception>
    public static IHubStoreTransaction Store(this IntegrationHub.Core.Messaging.IHubTransaction transaction) =>
        transaction as IHubStoreTransaction
        ?? throw new InvalidOperationException($"{transaction?.GetType().Name ?? "null"} is not a transaction of the hub store.");
}
