using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Store;

/// <summary>The writer's connection lent to one caller until it commits or rolls back.</summary>
internal sealed class WriterTransaction
{
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource durable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SqliteConnection? connection;

    public bool IsOpen => connection is not null && !finished.Task.IsCompleted;

    public SqliteConnection Connection => IsOpen ? connection! : throw new InvalidOperationException("The hub transaction has ended.");

    internal Task Finished => finished.Task;

    /// <summary>Ends the caller's part and waits until the commit that holds it is on disk.</summary>
    public Task CommitAsync(CancellationToken cancellationToken)
    {
        finished.TrySetResult();
        return durable.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Undoes everything written in the transaction.</summary>
    public void Rollback()
    {
        finished.TrySetException(new TransactionRolledBackException());
    }

    internal void Attach(SqliteConnection value) => connection = value;

    /// <summary>The work the connection was lent to has returned: the connection is the writer's again.</summary>
    internal void End() => finished.TrySetResult();

    internal void Durable() => durable.TrySetResult();

    internal void Failed(Exception error) => durable.TrySetException(error);

    private sealed class TransactionRolledBackException() : Exception("The hub transaction was rolled back.");
}
