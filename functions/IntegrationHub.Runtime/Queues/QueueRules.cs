using System.Collections.Frozen;
using System.Text.Json;
using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Runtime.Queues;

/// <summary>What every transport checks before it accepts a queue name or a message.</summary>
internal static class QueueRules
{
    public const int MaxQueueNameLength = 260;
    public const int MaxMessageIdLength = 128;

    /// <summary>Application property names with this prefix belong to the transports.</summary>
    public const string ReservedPropertyPrefix = "x-";

    /// <summary>A queue a caller may declare: letters, digits, '.', '-', '_' and '/', not a dead-letter queue.</summary>
    public static void ValidateDeclarable(string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        if (QueueNames.IsDeadLetter(queue))
        {
            throw new ArgumentException($"'{queue}' is a dead-letter queue; declare its source queue '{QueueNames.SourceOf(queue)}' instead.", nameof(queue));
        }

        if (queue.Length > MaxQueueNameLength || !queue.All(IsNameCharacter) || !char.IsAsciiLetterOrDigit(queue[0]))
        {
            throw new ArgumentException(
                $"The queue name '{queue}' is not valid: up to {MaxQueueNameLength} characters, starting with a letter or digit, then letters, digits, '.', '-', '_' or '/'.",
                nameof(queue));
        }
    }

    /// <summary>Dead letters are received under the receiving process's lock, for an operator to replay or remove.</summary>
    public static void RefuseSharedLockOnDeadLetters(string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        if (QueueNames.IsDeadLetter(queue))
        {
            throw new ArgumentException($"'{queue}' is a dead-letter queue: receive its messages with IQueueReceiver.ReceiveAsync, not under a shared lock.", nameof(queue));
        }
    }

    /// <summary>Refuses a batch if any of its messages may not be carried, before anything is written.</summary>
    public static void Validate(string queue, IReadOnlyList<OutgoingMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Validate(queue, message);
        }
    }

    /// <summary>Refuses a message that no transport may carry, before anything is written.</summary>
    public static void Validate(string queue, OutgoingMessage message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentNullException.ThrowIfNull(message);
        if (QueueNames.IsDeadLetter(queue))
        {
            throw new ArgumentException($"Messages cannot be sent to the dead-letter queue '{queue}'; dead-letter a received message instead.", nameof(queue));
        }

        if (string.IsNullOrWhiteSpace(message.MessageId) || message.MessageId.Length > MaxMessageIdLength)
        {
            throw new ArgumentException($"A message id must have 1 to {MaxMessageIdLength} characters (was '{message.MessageId}').", nameof(message));
        }

        var reserved = message.ApplicationProperties.Keys.FirstOrDefault(k => k.StartsWith(ReservedPropertyPrefix, StringComparison.OrdinalIgnoreCase));
        if (reserved is not null)
        {
            throw new ArgumentException($"The application property '{reserved}' of message '{message.MessageId}' uses the reserved prefix '{ReservedPropertyPrefix}'.", nameof(message));
        }

        MessageSize.EnsureFits(queue, message);
    }

    /// <summary>Refuses a queue that dead letters cannot be replayed from: anything but a dead-letter queue.</summary>
    public static void ValidateReplayable(string deadLetterQueue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deadLetterQueue);
        if (!QueueNames.IsDeadLetter(deadLetterQueue))
        {
            throw new ArgumentException($"Only a dead-letter queue can be replayed from ('{deadLetterQueue}' is not one).", nameof(deadLetterQueue));
        }
    }

    /// <summary>Refuses an operator's replacement body that would make a replayed message too large for <paramref name="queue"/>.</summary>
    public static void ValidateReplacement(string queue, ReceivedMessage message, ReadOnlyMemory<byte> body) =>
        MessageSize.EnsureFits(queue, message.AsOutgoing(body));

    public static string? WriteProperties(IReadOnlyDictionary<string, string> properties) =>
        properties.Count == 0 ? null : JsonSerializer.Serialize(properties, PropertiesJson.Default.IReadOnlyDictionaryStringString);

    public static IReadOnlyDictionary<string, string> ReadProperties(string? json) =>
        json is null
            ? FrozenDictionary<string, string>.Empty
            : JsonSerializer.Deserialize(json, PropertiesJson.Default.DictionaryStringString)!;

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/';
}
