using System.Data.Common;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub store as the runtime uses it, on either database: readied once by the hub instance that
/// runs on it, read on connections of its own, and written in short transactions of their own. The
/// transport-specific parts (queue rows, the outbox, duplicate claims) have their own classes.
/// </summary>
internal interface IHubStore
{
    SqlDialect Dialect { get; }

    /// <summary>
    /// At the start of a hub instance: applies the migrations and, where the store serves one instance
    /// only, claims it for this one; throws, saying why, when this instance cannot run on it.
    /// </summary>
    Task StartInstanceAsync(CancellationToken cancellationToken);

    /// <summary>At the end of the instance: gives up what <see cref="StartInstanceAsync"/> claimed.</summary>
    void StopInstance();

    /// <summary>Opens a connection for reads (the migrations applied).</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction of its own and returns its result once the
    /// transaction is committed; a failure undoes all of the work's writes. Commands are created on the
    /// connection given; they take part in the transaction.
    /// </summary>
    Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the one statement that <paramref name="statement"/> makes (a single statement is atomic by
    /// itself, so it needs no transaction or savepoint of its own) and returns the rows it changed once
    /// they are durable. For the small appends made on every request, such as an audit entry.
    /// </summary>
    Task<int> WriteStatementAsync(Func<DbConnection, DbCommand> statement, CancellationToken cancellationToken);
}
