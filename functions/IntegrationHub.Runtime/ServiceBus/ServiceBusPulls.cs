using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.ServiceBus;

/// <summary>
/// The messages pulled under a peek-lock for consumers outside the hub (a department over HTTP), in
/// <c>hub_servicebus_pulls</c>. The namespace holds the lock, and any instance can renew or settle
/// it by its token (the SDK settles a token its link did not receive through <c>$management</c>);
/// the row is what every instance needs beside that: that the lock is a pull (so that it is counted
/// as locked by every instance), until when, and the message itself, for an abandon with a delay
/// through another instance. An instance settles a pull by taking its row first, so that two
/// settlements of one token never both take effect.
/// </summary>
internal sealed class ServiceBusPulls(IHubStore store, TimeProvider time)
{
    private const string Columns = "queue, message_id, body, correlation_id, subject, content_type, properties, sequence_number, delivery_count, locked_until";

    /// <summary>Records pulled messages (their hub lock tokens, their locks' expiry).</summary>
    public Task RecordAsync(IReadOnlyList<ReceivedMessage> pulled, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                foreach (var message in pulled)
                {
                    await using var insert = connection.Command($"""
                        INSERT INTO hub_servicebus_pulls (lock_token, {Columns})
                        VALUES (@token, @queue, @id, @body, @correlation, @subject, @type, @properties, @sequence, @deliveries, @until)
                        """).Param("@token", message.LockToken).Param("@queue", message.Queue).Param("@id", message.MessageId)
                        .Param("@body", message.Body.ToArray()).Param("@correlation", message.CorrelationId).Param("@subject", message.Subject)
                        .Param("@type", message.ContentType).Param("@properties", QueueRules.WriteProperties(message.ApplicationProperties))
                        .Param("@sequence", message.SequenceNumber).Param("@deliveries", message.DeliveryCount).Param("@until", message.LockedUntilUtc.Ms());
                    await insert.ExecuteNonQueryAsync(token);
                }

                return pulled.Count;
            },
            cancellationToken);

    /// <summary>Whether the pull's lock is live here, and it is moved on to <paramref name="until"/>.</summary>
    public Task<bool> RenewedAsync(string queue, string lockToken, DateTimeOffset until, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                await using var renew = connection.Command("UPDATE hub_servicebus_pulls SET locked_until = @until WHERE lock_token = @token AND queue = @queue AND locked_until > @now")
                    .Param("@until", until.Ms()).Param("@token", lockToken).Param("@queue", queue).Param("@now", time.GetUtcNow().Ms());
                return await renew.ExecuteNonQueryAsync(token) == 1;
            },
            cancellationToken);

    /// <summary>
    /// Takes the pull's row inside a write of the store (the instance that takes it settles the pull);
    /// null when it is not there, or its lock ran out.
    /// </summary>
    public static async Task<Pulled?> TakeAsync(DbConnection connection, string queue, string lockToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var take = connection.Command($"DELETE FROM hub_servicebus_pulls WHERE lock_token = @token AND queue = @queue RETURNING {Columns}")
            .Param("@token", lockToken).Param("@queue", queue);
        var taken = (await take.ReadListAsync(reader => new Pulled(MessageRows.Read(reader), reader.Int32("delivery_count"), reader.UtcTime("locked_until")), cancellationToken)).SingleOrDefault();
        return taken is { } row && row.LockedUntil > now ? row : null;
    }

    /// <summary>The same, in a write of its own.</summary>
    public Task<Pulled?> TakeAsync(string queue, string lockToken, CancellationToken cancellationToken) =>
        store.WriteAsync((connection, token) => TakeAsync(connection, queue, lockToken, time.GetUtcNow(), token), cancellationToken);

    /// <summary>The queue's pulls whose locks have not run out: locked, whichever instance pulled them.</summary>
    public async Task<long> CountAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var count = connection.Command("SELECT COUNT(*) FROM hub_servicebus_pulls WHERE queue = @queue AND locked_until > @now")
            .Param("@queue", queue).Param("@now", time.GetUtcNow().Ms());
        return await count.ReadInt64Async(cancellationToken);
    }

    /// <summary>A pull's row: the message as pulled, its deliveries (this pull included), and when its lock runs out.</summary>
    internal sealed record Pulled(OutgoingMessage Message, int Deliveries, DateTimeOffset LockedUntil);
}
