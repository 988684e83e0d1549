using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// Every write this process makes to the hub database goes through here: operations queued by many
/// callers run one after another on one connection, each in its own savepoint, and commit together
/// (group commit), so that a burst of sends, receives and settlements costs one flush to disk. A
/// caller's task completes only after the commit that made its operation durable.
/// </summary>
internal sealed class HubWriter : IAsyncDisposable
{
    private const int MaxOperationsPerCommit = 512;
    private static readonly AsyncLocal<WriterTransaction?> Open = new();

    private readonly Channel<WriteOperation> pending = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly SqliteHubDatabase database;
    private readonly ILogger<HubWriter> logger;
    private readonly Lazy<Task> loop;

    public HubWriter(SqliteHubDatabase database, ILogger<HubWriter> logger)
    {
        this.database = database;
        this.logger = logger;
        loop = new Lazy<Task>(() => Task.Factory.StartNew(LoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the next commit; its result is returned once durable. When
    /// <paramref name="isolated"/>, a failure undoes all of its writes (a savepoint); work whose
    /// statements are each sound on their own (a single statement, or ones that leave no half-done
    /// state) may go without. Unless <paramref name="awaitCommit"/>, the result is returned as soon as
    /// the work has run, before its commit is on disk: only for writes whose loss in a crash is
    /// harmless (duplicate-detection claims, which the consumers' inbox backs up).
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken, bool isolated = true, bool awaitCommit = true)
    {
        ThrowIfInsideTransaction();
        var operation = new WorkOperation<T>(work, isolated, awaitCommit, cancellationToken);
        Enqueue(operation);
        return operation.Result;
    }

    /// <summary>
    /// Runs asynchronous <paramref name="work"/> in the next commit, in a savepoint; its result is
    /// returned once durable. For work written against <see cref="System.Data.Common.DbConnection"/>
    /// (shared with the PostgreSQL store): SQLite completes its commands synchronously, so the writer
    /// is not held waiting on anything but the work's own statements.
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunInTransactionAsync((transaction, token) => work(transaction.Connection, token), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on the writer's connection, lent to it as a transaction, in a
    /// savepoint of the next commit; its result is returned once durable. The work runs on the
    /// writer's own thread, with the caller's execution context, between the writer's other
    /// operations: no hand-over of the connection to the caller and back, which is what a hub
    /// transaction of <see cref="BeginAsync"/> costs. So it must not wait on anything but the
    /// connection's statements (SQLite completes them synchronously); writes of another kind from
    /// inside it are refused, as from inside a transaction of <see cref="BeginAsync"/>.
    /// </summary>
    public Task<T> RunInTransactionAsync<T>(Func<WriterTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ThrowIfInsideTransaction();
        var operation = new AsyncWorkOperation<T>(work, cancellationToken);
        Enqueue(operation);
        return operation.Result;
    }

    /// <summary>
    /// Hands the writer's connection to the caller, inside a savepoint of the next commit, until it
    /// commits or rolls back. Until then no other write of this process runs, so keep it short.
    /// </summary>
    public Task<WriterTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        ThrowIfInsideTransaction();
        var operation = new TransactionOperation(cancellationToken);
        Enqueue(operation);
        // Set in this (synchronous) method so that it flows to the caller: writes started from inside
        // the transaction would wait for it to end, so they are refused instead (see ThrowIfInsideTransaction).
        Open.Value = operation.Transaction;
        return operation.Started;
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        if (loop.IsValueCreated)
        {
            await loop.Value;
        }

        stopping.Dispose();
    }

    private static void ThrowIfInsideTransaction()
    {
        if (Open.Value is { IsOpen: true })
        {
            throw new InvalidOperationException(
                "A hub transaction is open in this flow: send with IHubTransaction.Send and commit it before writing to the hub database another way.");
        }
    }

    private void Enqueue(WriteOperation operation)
    {
        _ = loop.Value;
        if (!pending.Writer.TryWrite(operation))
        {
            operation.Fail(new ObjectDisposedException(nameof(HubWriter), "The hub database writer has stopped."));
        }
    }

    private async Task LoopAsync()
    {
        using var connection = await OpenWithRetryAsync();
        connection.KeepStatements();
        try
        {
            await CommitWhatArrivesAsync(connection);
        }
        finally
        {
            connection.ReleaseStatements();
        }
    }

    private async Task CommitWhatArrivesAsync(SqliteConnection connection)
    {
        var batch = new List<WriteOperation>(MaxOperationsPerCommit);
        var flushing = true;
        while (await pending.Reader.WaitToReadAsync())
        {
            // A commit holds operations of one kind: those that wait for the disk, or those that need
            // not (their commit skips the flush; the next flushing commit takes their writes along).
            var flush = !pending.Reader.TryPeek(out var first) || first.AwaitsCommit;
            if (flush != flushing)
            {
                connection.Prepared(flush ? database.SynchronousPragma : "PRAGMA synchronous = OFF;").ExecuteNonQuery();
                flushing = flush;
            }

            try
            {
                connection.Prepared("BEGIN IMMEDIATE;").ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                // Another process held the write lock past busy_timeout: keep the operations and try again.
                Log.WriterBusy(logger, ex.SqliteErrorCode, ex);
                continue;
            }

            try
            {
                await RunBatchAsync(connection, batch, flush);
                Commit(connection, batch);
            }
            catch (SqliteException ex)
            {
                // The transaction broke under an operation (disk full, I/O error): all in it fail.
                Log.WriterCommitFailed(logger, batch.Count, ex);
                TryRollback(connection);
                batch.ForEach(operation => operation.Fail(ex));
            }

            batch.Clear();
        }
    }

    private async Task<SqliteConnection> OpenWithRetryAsync()
    {
        while (true)
        {
            try
            {
                return await database.OpenSqliteAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
            {
                // Migrations failed or the file is unreachable: every queued operation gets the error.
                Log.WriterCannotOpen(logger, ex);
                while (pending.Reader.TryRead(out var operation))
                {
                    operation.Fail(ex);
                }

                await pending.Reader.WaitToReadAsync();
            }
        }
    }

    private async Task RunBatchAsync(SqliteConnection connection, List<WriteOperation> batch, bool flush)
    {
        WriteOperation? current = null;
        try
        {
            while (batch.Count < MaxOperationsPerCommit && pending.Reader.TryPeek(out var next) && next.AwaitsCommit == flush && pending.Reader.TryRead(out current))
            {
                if (current.TryStart())
                {
                    await RunOneAsync(connection, current, batch);
                }

                current = null;
            }
        }
        catch (SqliteException ex)
        {
            // The transaction is gone: the operation under way fails with the others (see LoopAsync).
            current?.Fail(ex);
            throw;
        }
    }

    private static async Task RunOneAsync(SqliteConnection connection, WriteOperation operation, List<WriteOperation> batch)
    {
        Savepoint(connection, operation, "SAVEPOINT op;");
        try
        {
            await operation.RunAsync(connection);
            Savepoint(connection, operation, "RELEASE op;");
            batch.Add(operation);
        }
        catch (Exception ex)
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0)
            {
                // SQLite rolled the whole transaction back (an I/O error, a full disk).
                throw new SqliteException($"The hub database rolled its transaction back: {ex.Message}", 1);
            }

            // An operation's failure (a lost lock, an unknown queue, a bug in a caller's SQL) is its
            // caller's to handle: undo its savepoint, hand it the error, and commit the others.
            Savepoint(connection, operation, "ROLLBACK TO op;");
            Savepoint(connection, operation, "RELEASE op;");
            operation.Fail(ex);
        }
    }

    private static void Savepoint(SqliteConnection connection, WriteOperation operation, string sql)
    {
        if (operation.Isolated)
        {
            connection.Prepared(sql).ExecuteNonQuery();
        }
    }

    private void Commit(SqliteConnection connection, List<WriteOperation> batch)
    {
        try
        {
            connection.Prepared("COMMIT;").ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            Log.WriterCommitFailed(logger, batch.Count, ex);
            TryRollback(connection);
            batch.ForEach(operation => operation.Fail(ex));
            return;
        }

        batch.ForEach(operation => operation.Succeed());
    }

    private void TryRollback(SqliteConnection connection)
    {
        try
        {
            connection.Execute("ROLLBACK;");
        }
        catch (SqliteException ex)
        {
            // SQLite rolls back by itself on some errors; nothing is left to undo then.
            Log.WriterRollbackFailed(logger, ex);
        }
    }

    private abstract class WriteOperation(bool isolated, bool awaitsCommit, CancellationToken cancellationToken)
    {
        public bool Isolated { get; } = isolated;

        public bool AwaitsCommit { get; } = awaitsCommit;

        protected CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract bool TryStart();

        public abstract Task RunAsync(SqliteConnection connection);

        public abstract void Succeed();

        public abstract void Fail(Exception error);
    }

    private sealed class WorkOperation<T>(Func<SqliteConnection, T> work, bool isolated, bool awaitCommit, CancellationToken cancellationToken) : WriteOperation(isolated, awaitCommit, cancellationToken)
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? value;

        public Task<T> Result => completion.Task;

        public override bool TryStart() => !CancellationToken.IsCancellationRequested || !completion.TrySetCanceled(CancellationToken);

        public override Task RunAsync(SqliteConnection connection)
        {
            value = work(connection);
            if (!AwaitsCommit)
            {
                completion.TrySetResult(value);
            }

            return Task.CompletedTask;
        }

        public override void Succeed() => completion.TrySetResult(value!);

        public override void Fail(Exception error) => completion.TrySetException(error);
    }

    private sealed class AsyncWorkOperation<T>(Func<WriterTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) : WriteOperation(isolated: true, awaitsCommit: true, cancellationToken)
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ExecutionContext? caller = ExecutionContext.Capture();
        private T? value;

        public Task<T> Result => completion.Task;

        public override bool TryStart() => !CancellationToken.IsCancellationRequested || !completion.TrySetCanceled(CancellationToken);

        public override async Task RunAsync(SqliteConnection connection)
        {
            var lent = new WriterTransaction();
            lent.Attach(connection);
            try
            {
                value = await Start(lent);
            }
            finally
            {
                lent.End();
            }
        }

        // In the caller's execution context (its activity, its logging scope), marked as inside a
        // transaction so that a write of another kind from the work is refused instead of waiting forever.
        private Task<T> Start(WriterTransaction lent)
        {
            if (caller is null)
            {
                Open.Value = lent;
                return work(lent, CancellationToken);
            }

            Task<T>? started = null;
            ExecutionContext.Run(caller, _ =>
            {
                Open.Value = lent;
                started = work(lent, CancellationToken);
            }, null);
            return started!;
        }

        public override void Succeed() => completion.TrySetResult(value!);

        public override void Fail(Exception error) => completion.TrySetException(error);
    }

    private sealed class TransactionOperation(CancellationToken cancellationToken) : WriteOperation(isolated: true, awaitsCommit: true, cancellationToken)
    {
        private readonly TaskCompletionSource<WriterTransaction> started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WriterTransaction Transaction { get; } = new();

        public Task<WriterTransaction> Started => started.Task;

        public override bool TryStart() => !CancellationToken.IsCancellationRequested || !started.TrySetCanceled(CancellationToken);

        public override async Task RunAsync(SqliteConnection connection)
        {
            Transaction.Attach(connection);
            started.TrySetResult(Transaction);
            await Transaction.Finished;
        }

        public override void Succeed() => Transaction.Durable();

        public override void Fail(Exception error)
        {
            started.TrySetException(error);
            Transaction.Failed(error);
        }
    }
}
