using System.Data.Common;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime.Queues;
using IntegrationHub.Runtime.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Runtime.RabbitMq;

/// <summary>
/// Messages taken from the broker for a consumer outside the hub (<see cref="ISharedLockReceiver"/>:
/// a department pulling over HTTP, whose acknowledgement may reach another instance), held in
/// <c>hub_held_messages</c> under a lock that every instance can renew or settle by its token. A
/// completed one stays, settled, for the duplicate window, so that the broker delivering its copy
/// again (the puller died before acknowledging it) is not held a second time; one abandoned, or whose
/// lock ran out, goes back through the outbox as a new copy that takes its duplicate claim over.
/// </summary>
internal sealed class HeldMessages(IHubStore store, IOptions<MessagingOptions> options, TimeProvider time, ILogger<HeldMessages> logger)
{
    private const string TokenPrefix = "h-";
    private const int SweepBatch = 100;

    private const string TakenColumns = """
        queue, message_id, body, correlation_id, subject, content_type, properties, copy_id, delivery_count, enqueued_at, sequence_number
        """;

    private const string Live = "lock_token = @token AND queue = @queue AND settled_at IS NULL AND locked_until > @now";

    private readonly MessagingOptions settings = options.Value;

    /// <summary>Whether a lock token is one of these (others are locks a receiving process keeps).</summary>
    public static bool Holds(string lockToken) => lockToken.StartsWith(TokenPrefix, StringComparison.Ordinal);

    /// <summary>Holds the messages under new locks; returns those held now (a copy held before is left out).</summary>
    public Task<List<ReceivedMessage>> HoldAsync(string queue, IReadOnlyList<(ReceivedMessage Message, string CopyId)> messages, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var until = time.GetUtcNow() + settings.LockDuration;
                var held = new List<ReceivedMessage>(messages.Count);
                foreach (var (message, copyId) in messages)
                {
                    var lockToken = TokenPrefix + Guid.NewGuid().ToString("N");
                    await using var insert = connection.Command("""
                        INSERT INTO hub_held_messages (lock_token, queue, copy_id, message_id, body, correlation_id, subject, content_type, properties,
                                                       sequence_number, enqueued_at, delivery_count, locked_until)
                        VALUES (@token, @queue, @copy, @id, @body, @correlation, @subject, @type, @properties, @sequence, @enqueued, @deliveries, @until)
                        ON CONFLICT (queue, copy_id) DO NOTHING
                        """).Param("@token", lockToken).Param("@queue", queue).Param("@copy", copyId).Param("@id", message.MessageId)
                        .Param("@body", message.Body.ToArray()).Param("@correlation", message.CorrelationId).Param("@subject", message.Subject)
                        .Param("@type", message.ContentType).Param("@properties", QueueRules.WriteProperties(message.ApplicationProperties))
                        .Param("@sequence", message.SequenceNumber).Param("@enqueued", message.EnqueuedTimeUtc.Ms())
                        .Param("@deliveries", message.DeliveryCount).Param("@until", until.Ms());
                    if (await insert.ExecuteNonQueryAsync(token) == 1)
                    {
                        held.Add(message with { LockToken = lockToken, LockedUntilUtc = until });
                    }
                }

                return held;
            },
            cancellationToken);

    public Task<DateTimeOffset> RenewAsync(string queue, string lockToken, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow();
                var until = now + settings.LockDuration;
                await using var renew = Bind(connection.Command($"UPDATE hub_held_messages SET locked_until = @until WHERE {Live}"), queue, lockToken, now)
                    .Param("@until", until.Ms());
                return await renew.ExecuteNonQueryAsync(token) == 1 ? until : throw new MessageLockLostException(queue, lockToken);
            },
            cancellationToken);

    public Task CompleteAsync(string queue, string lockToken, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow();
                await using var settle = Bind(connection.Command($"UPDATE hub_held_messages SET settled_at = @now WHERE {Live}"), queue, lockToken, now);
                return await settle.ExecuteNonQueryAsync(token) == 1 ? true : throw new MessageLockLostException(queue, lockToken);
            },
            cancellationToken);

    /// <summary>Returns the message to its queue (after <paramref name="delay"/>), or to its dead-letter queue when it is out of deliveries.</summary>
    public Task AbandonAsync(string queue, string lockToken, TimeSpan? delay, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow();
                var message = await TakeAsync(connection, queue, lockToken, now, token);
                if (message.Deliveries >= settings.MaxDeliveryCount)
                {
                    var description = $"Delivered {message.Deliveries} times; the queue allows {settings.MaxDeliveryCount}.";
                    await DeadLetterAsync(connection, message, DeadLetterReasons.MaxDeliveryCountExceeded, description, now, token);
                }
                else
                {
                    await ReturnAsync(connection, message, now + (delay is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero), token);
                }

                return true;
            },
            cancellationToken);

    public Task DeadLetterAsync(string queue, string lockToken, string reason, string? description, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow();
                await DeadLetterAsync(connection, await TakeAsync(connection, queue, lockToken, now, token), reason, description, now, token);
                return true;
            },
            cancellationToken);

    /// <summary>Messages held (not settled) for <paramref name="queue"/>: locked, as the statistics count them.</summary>
    public async Task<long> CountAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var count = connection.Command("SELECT COUNT(*) FROM hub_held_messages WHERE queue = @queue AND settled_at IS NULL").Param("@queue", queue);
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Returns messages whose locks ran out to their queues, carrying their deliveries (one out of
    /// deliveries is dead-lettered at its next delivery). Instances sweeping at once take different rows.
    /// </summary>
    public Task ReturnExpiredAsync(CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow();
                var skipLocked = store.Dialect == SqlDialect.PostgreSql ? "FOR UPDATE SKIP LOCKED" : "";
                await using var take = connection.Command($"""
                    DELETE FROM hub_held_messages WHERE lock_token IN (
                        SELECT lock_token FROM hub_held_messages WHERE settled_at IS NULL AND locked_until <= @now ORDER BY locked_until LIMIT @max {skipLocked})
                    RETURNING {TakenColumns}
                    """).Param("@now", now.Ms()).Param("@max", SweepBatch);
                var expired = await ReadAsync(take, token);
                foreach (var message in expired)
                {
                    Log.HeldLockExpired(logger, message.Message.MessageId, message.Queue);
                    await ReturnAsync(connection, message, now, token);
                }

                return expired.Count;
            },
            cancellationToken);

    private static DbCommand Bind(DbCommand command, string queue, string lockToken, DateTimeOffset now) =>
        command.Param("@token", lockToken).Param("@queue", queue).Param("@now", now.Ms());

    /// <summary>Removes a live held message and returns it; throws when the token is unknown, settled or expired.</summary>
    private static async Task<Taken> TakeAsync(DbConnection connection, string queue, string lockToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var take = Bind(connection.Command($"DELETE FROM hub_held_messages WHERE {Live} RETURNING {TakenColumns}"), queue, lockToken, now);
        return (await ReadAsync(take, cancellationToken)).SingleOrDefault() ?? throw new MessageLockLostException(queue, lockToken);
    }

    private static async Task<List<Taken>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        return await command.ReadListAsync(reader => new Taken(reader.Text("queue"), MessageRows.Read(reader), reader.Int32("delivery_count")), cancellationToken);
    }

    /// <summary>Publishes the message again as a new copy, which takes its duplicate claim over.</summary>
    private async Task ReturnAsync(DbConnection connection, Taken message, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var copy = RabbitMqMessages.NewCopyId();
        await OutboxRows.HandOverClaimAsync(connection, message.Queue, message.Message.MessageId, copy, time.GetUtcNow() + settings.DuplicateDetectionWindow, cancellationToken);
        await OutboxRows.InsertAsync(connection, new OutboxEntry(message.Queue, message.Message, copy, message.Deliveries, due), cancellationToken);
    }

    private static Task DeadLetterAsync(DbConnection connection, Taken message, string reason, string? description, DateTimeOffset now, CancellationToken cancellationToken) =>
        OutboxRows.InsertAsync(
            connection,
            new OutboxEntry(QueueNames.DeadLetterOf(message.Queue), RabbitMqMessages.AsDeadLetter(message.Message, message.Queue, reason, description, now), RabbitMqMessages.NewCopyId(), message.Deliveries - 1, now),
            cancellationToken);

    /// <summary>A held message taken out of the table: its queue, the message, and its deliveries so far.</summary>
    private sealed record Taken(string Queue, OutgoingMessage Message, int Deliveries);
}
