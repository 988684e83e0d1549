using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Schemas;
using NJsonSchema;

namespace IntegrationHub.Runtime.Functions;

/// <summary>
/// Reads a message body as its contract: JSON with the hub's settings, then checked against the
/// published schema whose <c>title</c> is the record's name (the schemas ship beside the program under
/// <c>schemas/</c>). A body that fails either is a dead letter with the reason and where it failed.
/// </summary>
internal sealed class MessageReader(MessageSchemas schemas)
{
    private readonly ConcurrentDictionary<Type, JsonSchema?> byType = new();

    /// <summary>Finds the schema of <typeparamref name="T"/> now, so that the first message does not look for it.</summary>
    public void Prepare<T>() => byType.GetOrAdd(typeof(T), t => schemas.Find(t.Name));

    public ReadResult<T> Read<T>(ReceivedMessage message)
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(HubJson.WithoutByteOrderMark(message.Body.Span), HubJson.Options);
        }
        catch (JsonException ex)
        {
            return ReadResult<T>.Failed(DeadLetterReasons.DeserializationFailed, $"The body is not a {typeof(T).Name} at {ex.Path ?? "$"}: {ex.Message}");
        }

        if (value is null)
        {
            return ReadResult<T>.Failed(DeadLetterReasons.DeserializationFailed, $"The body is not a {typeof(T).Name} at $: it is null.");
        }

        var problem = SchemaProblem(typeof(T), message.Body);
        return problem is null ? ReadResult<T>.Read(value) : ReadResult<T>.Failed(DeadLetterReasons.SchemaValidationFailed, problem);
    }

    private string? SchemaProblem(Type type, ReadOnlyMemory<byte> body)
    {
        var schema = byType.GetOrAdd(type, t => schemas.Find(t.Name));
        if (schema is null)
        {
            return null;
        }

        var errors = MessageSchemas.Check(schema, body.Span);
        return errors.Count == 0
            ? null
            : $"The body does not satisfy the {type.Name} schema: " + string.Join("; ", errors.Take(5).Select(e => $"$.{e.Field.TrimStart('$', '.')}: {e.Error}"));
    }
}

/// <summary>A message read as its contract, or why it could not be.</summary>
internal readonly record struct ReadResult<T>(T? Value, string? Reason, string? Description)
{
    public bool Succeeded => Reason is null;

    public static ReadResult<T> Read(T value) => new(value, null, null);

    public static ReadResult<T> Failed(string reason, string description) => new(default, reason, description);
}
