using System.Data.Common;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub store on one SQLite file: writes go through the process's one writer (group commit), and
/// the file serves one running hub instance, which holds a lock file beside it.
/// </summary>
internal sealed class SqliteHubStore(SqliteHubDatabase database, HubWriter writer) : IHubStore
{
    private IDisposable? instanceLock;

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task StartInstanceAsync(CancellationToken cancellationToken)
    {
        instanceLock ??= SqliteInstanceLock.Acquire(database.FilePath);
        await database.EnsureMigratedAsync(cancellationToken);
    }

    public void StopInstance()
    {
        instanceLock?.Dispose();
        instanceLock = null;
    }

    public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);

    public Task<T> WriteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        writer.RunAsync<T>((connection, token) => work(connection, token), cancellationToken);

    // Run synchronously on the writer's thread, without a savepoint: SQLite undoes a failed statement by itself.
    public Task<int> WriteStatementAsync(Func<DbConnection, DbCommand> statement, CancellationToken cancellationToken) =>
        writer.RunAsync(
            connection =>
            {
                using var command = statement(connection);
                return command.ExecuteNonQuery();
            },
            cancellationToken,
            isolated: false);
}

/// <summary>
/// One running hub instance per SQLite hub database: the instance holds an exclusive lock on
/// <c>&lt;database&gt;.lock</c> (released by the kernel if the process dies), so that a second process
/// started on the same file stops at start instead of sharing a store meant for one. Hosts inside one
/// process (tests) share the process's lock.
/// </summary>
internal static class SqliteInstanceLock
{
    private static readonly Dictionary<string, (FileStream File, int Holders)> Held = new(StringComparer.Ordinal);

    public static IDisposable Acquire(string databasePath)
    {
        var path = databasePath + ".lock";
        lock (Held)
        {
            if (Held.TryGetValue(path, out var held))
            {
                Held[path] = (held.File, held.Holders + 1);
                return new Release(path);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Linux, which another process cannot also take.
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                Held[path] = (file, 1);
                return new Release(path);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException(
                    $"Another hub instance is running on the SQLite hub database {databasePath} (it holds {path}). The SQLite store serves one instance: "
                    + $"to run several, set {MessagingOptions.Section}:Store to '{MessagingOptions.PostgresStore}' and {MessagingOptions.Section}:Transport to '{MessagingOptions.RabbitMqTransport}' "
                    + $"or '{MessagingOptions.ServiceBusTransport}', so that the instances share a PostgreSQL store and a broker (RabbitMQ, or an Azure Service Bus namespace).",
                    ex);
            }
        }
    }

    private sealed class Release(string path) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 1)
            {
                return;
            }

            lock (Held)
            {
                var (file, holders) = Held[path];
                if (holders > 1)
                {
                    Held[path] = (file, holders - 1);
                }
                else
                {
                    Held.Remove(path);
                    file.Dispose();
                }
            }
        }
    }
}
