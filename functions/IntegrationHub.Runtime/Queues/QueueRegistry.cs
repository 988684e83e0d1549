using System.Collections.Concurrent;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Queues;

/// <summary>
/// The declared queues, kept in <c>hub_queues</c> so that every process (and the operations page)
/// sees the same list; a queue once seen is remembered, since queues are never removed.
/// </summary>
internal sealed class QueueRegistry(HubWriter writer, SqliteHubDatabase database, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, bool> known = new(StringComparer.Ordinal);

    /// <summary>Records the queue; true when it was not declared before.</summary>
    public async Task<bool> DeclareAsync(string queue, CancellationToken cancellationToken)
    {
        QueueRules.ValidateDeclarable(queue);
        if (known.ContainsKey(queue))
        {
            return false;
        }

        var added = await writer.RunAsync(connection =>
        {
            using var insert = connection.Command("INSERT INTO hub_queues (name, created_at) VALUES ($name, $at) ON CONFLICT (name) DO NOTHING;")
                .With("$name", queue).With("$at", time.GetUtcNow().ToUnixMs());
            return insert.ExecuteNonQuery() == 1;
        }, cancellationToken, isolated: false);
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

        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        EnsureKnown(connection, queue);
    }

    /// <summary>The same check on a connection already open (inside a write).</summary>
    public void EnsureKnown(SqliteConnection connection, string queue)
    {
        var source = QueueNames.SourceOf(queue);
        if (known.ContainsKey(source))
        {
            return;
        }

        using var select = connection.Command("SELECT 1 FROM hub_queues WHERE name = $name;").With("$name", source);
        if (select.ExecuteScalar() is null)
        {
            throw new QueueNotFoundException(queue);
        }

        known[source] = true;
    }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenSqliteAsync(cancellationToken);
        using var select = connection.Command("SELECT name FROM hub_queues ORDER BY name;");
        using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
