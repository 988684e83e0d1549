using System.Collections.Concurrent;
using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Queues;

/// <summary>
/// The declared queues, kept in <c>hub_queues</c> so that every process (and the operations page)
/// sees the same list; a queue once seen is remembered, since queues are never removed.
/// </summary>
internal sealed class QueueRegistry(IHubStore store, TimeProvider time)
{
    private const string Find = "SELECT 1 FROM hub_queues WHERE name = @name";
    private readonly ConcurrentDictionary<string, bool> known = new(StringComparer.Ordinal);

    /// <summary>Records the queue; true when it was not declared before.</summary>
    public async Task<bool> DeclareAsync(string queue, CancellationToken cancellationToken)
    {
        QueueRules.ValidateDeclarable(queue);
        if (known.ContainsKey(queue))
        {
            return false;
        }

        var added = await store.WriteAsync(
            async (connection, token) =>
            {
                await using var insert = connection.Command("INSERT INTO hub_queues (name, created_at) VALUES (@name, @at) ON CONFLICT (name) DO NOTHING")
                    .Param("@name", queue).Param("@at", time.GetUtcNow().Ms());
                return await insert.ExecuteNonQueryAsync(token) == 1;
            },
            cancellationToken);
        known[queue] = true;
        return added;
    }

    /// <summary>Throws <see cref="QueueNotFoundException"/> unless the queue (or the source of a dead-letter queue) is declared.</summary>
    public async ValueTask EnsureKnownAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        var source = QueueNames.SourceOf(queue);
        if (known.ContainsKey(source))
        {
            return;
        }

        await using var connection = await store.OpenAsync(cancellationToken);
        await using var select = connection.Command(Find).Param("@name", source);
        Remember(queue, source, await select.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>
    /// The same check on a connection already open inside a write, for callers that cannot wait
    /// (<see cref="IHubTransaction.Send"/>): it asks the database only for a queue this process has
    /// not seen yet, at most once per queue.
    /// </summary>
    public void EnsureKnown(DbConnection connection, string queue)
    {
        var source = QueueNames.SourceOf(queue);
        if (known.ContainsKey(source))
        {
            return;
        }

        using var select = connection.Command(Find).Param("@name", source);
        Remember(queue, source, select.ExecuteScalar());
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT name FROM hub_queues ORDER BY name");
        return await select.ReadListAsync(reader => reader.Text("name"), cancellationToken);
    }

    private void Remember(string queue, string source, object? found)
    {
        if (found is null || found is DBNull)
        {
            throw new QueueNotFoundException(queue);
        }

        known[source] = true;
    }
}
