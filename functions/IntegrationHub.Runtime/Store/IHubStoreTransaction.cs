using System.Data.Common;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub transaction as the store sees it: the connection its state changes are written on.
/// Every command on <see cref="Connection"/> is part of the transaction; commit it with
/// <see cref="IntegrationHub.Core.Messaging.IHubTransaction.CommitAsync"/>, never with SQL.
/// </summary>
internal interface IHubStoreTransaction : IntegrationHub.Core.Messaging.IHubTransaction
{
    /// <summary>The connection the transaction is open on.</summary>
    DbConnection Connection { get; }

    /// <summary>A command on the transaction's connection.</summary>
    DbCommand CreateCommand(string sql);

    /// <summary>
    /// Runs <paramref name="write"/>, a statement whose count the caller does not need and whose effect
    /// nothing later in the transaction reads or writes again (a timeline entry; a mark on a record the
    /// step is done with): SQLite runs it now; PostgreSQL sends it with the commit, in the commit's
    /// round trip, in the order given. The command may be disposed once this returns.
    /// </summary>
    ValueTask ExecuteWithCommitAsync(DbCommand write, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/>, an <c>UPDATE</c> that must change exactly one row, else the
    /// transaction fails with the exception <paramref name="otherwise"/> makes, and whose effect nothing
    /// later in the transaction reads: SQLite runs it now and throws; PostgreSQL sends it with the commit
    /// (as <see cref="ExecuteWithCommitAsync"/>), and the commit throws, having rolled everything back.
    /// </summary>
    ValueTask ExecuteOneRowWithCommitAsync(DbCommand write, Func<Exception> otherwise, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="count"/> statements in order, each made by <paramref name="make"/> (and
    /// disposed here), and returns how many rows each changed: SQLite runs each as it is made;
    /// PostgreSQL sends them together, in one round trip.
    /// </summary>
    ValueTask<int[]> ExecuteEachAsync(int count, Func<int, DbCommand> make, CancellationToken cancellationToken);

    /// <summary>
    /// Records in the inbox that <paramref name="consumer"/> processed <paramref name="messageId"/>, for a
    /// step that can let its effect be undone when it took effect before: SQLite answers now (false: it
    /// had); PostgreSQL writes the record with the commit, in its round trip, answers true, and throws
    /// <see cref="AlreadyProcessedException"/> from the commit, having rolled everything back, when it had.
    /// </summary>
    ValueTask<bool> RecordProcessedAsync(string consumer, string messageId, CancellationToken cancellationToken);
}
