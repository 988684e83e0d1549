using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Core;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Operations;

/// <summary>A dead letter as the operations API lists it. Times are Vietnam time.</summary>
internal sealed record DeadLetterSummary(
    string Queue,
    string MessageId,
    long SequenceNumber,
    string? CorrelationId,
    string? Subject,
    string? Reason,
    string? Description,
    string? ExceptionType,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? DeadLetteredAt);

/// <summary>Dead letters of one queue with one reason and one exception type.</summary>
internal sealed record DeadLetterGroup(string Queue, string? Reason, string? ExceptionType, int Count, DateTimeOffset? Oldest, DateTimeOffset? Newest);

/// <summary>Which dead letters to show or replay; every given condition must hold.</summary>
/// <param name="Queue">The source queue (all queues when null).</param>
/// <param name="Reason">The exact dead-letter reason.</param>
/// <param name="ExceptionType">The exception type named in the description, e.g. <c>GatewayException</c>.</param>
/// <param name="Text">Text in the message id, the dossier code (correlation id), the description or the body; any case.</param>
/// <param name="From">Dead-lettered at or after.</param>
/// <param name="To">Dead-lettered before.</param>
internal readonly record struct DeadLetterQuery(string? Queue, string? Reason, string? ExceptionType, string? Text, DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>The query of a replay request's filter (all of the queue's dead letters when it has none).</summary>
    public static DeadLetterQuery Of(string queue, DeadLetterFilter? filter) =>
        new(queue, Blank(filter?.Reason), null, Blank(filter?.Text), filter?.From, filter?.To);

    public bool Matches(ReceivedMessage message)
    {
        var at = message.DeadLetteredTimeUtc ?? message.EnqueuedTimeUtc;
        return (Reason is null || string.Equals(message.DeadLetterReason, Reason, StringComparison.Ordinal))
            && (ExceptionType is null || string.Equals(DeadLetterCatalog.ExceptionTypeOf(message.DeadLetterErrorDescription), ExceptionType, StringComparison.Ordinal))
            && (From is null || at >= From)
            && (To is null || at < To)
            && (Text is null || Contains(message.MessageId) || Contains(message.CorrelationId) || Contains(message.DeadLetterErrorDescription) || Contains(DeadLetterCatalog.TextOf(message.Body)));
    }

    private bool Contains(string? value) => value is not null && value.Contains(Text!, StringComparison.OrdinalIgnoreCase);

    /// <summary>Null for a blank condition (any value), else the value trimmed.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Reads the dead-letter queues of every queue the hub has declared, by peeking (nothing is locked
/// or moved), and describes what it finds: reason, the exception type in the description, times.
/// </summary>
internal sealed partial class DeadLetterCatalog(IQueueReceiver queues, IQueueAdmin admin, IOptions<OperationsOptions> options)
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The declared source queues, by name.</summary>
    public Task<IReadOnlyList<string>> QueuesAsync(CancellationToken cancellationToken) => admin.ListQueuesAsync(cancellationToken);

    /// <summary>The dead letters that match, oldest dead-lettered first.</summary>
    /// <exception cref="QueueNotFoundException">The query names a queue the hub does not have.</exception>
    public async Task<IReadOnlyList<ReceivedMessage>> FindAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        var sources = query.Queue is { } one ? [one] : await admin.ListQueuesAsync(cancellationToken);
        var found = new List<ReceivedMessage>();
        foreach (var source in sources)
        {
            found.AddRange((await PeekAllAsync(source, cancellationToken)).Where(query.Matches));
        }

        return [.. found.OrderBy(m => m.DeadLetteredTimeUtc ?? m.EnqueuedTimeUtc).ThenBy(m => m.SequenceNumber)];
    }

    /// <summary>One dead letter of a queue by message id (the oldest, should there be two), or null.</summary>
    /// <exception cref="QueueNotFoundException">The hub has no such queue.</exception>
    public async Task<ReceivedMessage?> FindOneAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        (await PeekAllAsync(queue, cancellationToken)).FirstOrDefault(m => m.MessageId == messageId);

    public static DeadLetterSummary Summarize(ReceivedMessage message) => new(
        SourceOf(message),
        message.MessageId,
        message.SequenceNumber,
        message.CorrelationId,
        message.Subject,
        message.DeadLetterReason,
        message.DeadLetterErrorDescription,
        ExceptionTypeOf(message.DeadLetterErrorDescription),
        message.DeliveryCount,
        VietnamTime.ToLocal(message.EnqueuedTimeUtc),
        message.DeadLetteredTimeUtc is { } at ? VietnamTime.ToLocal(at) : null);

    public static IReadOnlyList<DeadLetterGroup> Group(IEnumerable<DeadLetterSummary> letters) =>
        [.. letters.GroupBy(l => (l.Queue, l.Reason, l.ExceptionType))
            .Select(g => new DeadLetterGroup(g.Key.Queue, g.Key.Reason, g.Key.ExceptionType, g.Count(), g.Min(l => l.DeadLetteredAt), g.Max(l => l.DeadLetteredAt)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Queue, StringComparer.Ordinal).ThenBy(g => g.Reason, StringComparer.Ordinal)];

    /// <summary>The queue a dead letter goes back to when replayed.</summary>
    public static string SourceOf(ReceivedMessage message) => message.DeadLetterSource ?? QueueNames.SourceOf(message.Queue);

    /// <summary>
    /// The exception type a description names (the runtime writes "Failed on delivery n of m:
    /// SomeException: ..."), or null when it names none.
    /// </summary>
    public static string? ExceptionTypeOf(string? description) =>
        description is not null && ExceptionName().Match(description) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>A body as text to read and search: JSON with its characters unescaped, or the bytes as UTF-8.</summary>
    public static string TextOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span)?.ToJsonString(Readable) ?? "null";
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(body.Span);
        }
    }

    /// <summary>A body as the API shows it: the JSON document, or null when it is not JSON.</summary>
    public static JsonNode? JsonOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // One peek of the whole dead-letter queue, up to the limit: a broker's dead-letter queue is not in
    // sequence order (messages keep the number they were sent with), so it cannot be paged by number.
    private Task<IReadOnlyList<ReceivedMessage>> PeekAllAsync(string source, CancellationToken cancellationToken) =>
        queues.PeekAsync(QueueNames.DeadLetterOf(source), 0, options.Value.MaxDeadLettersPerQueue, cancellationToken);

    [GeneratedRegex(@"\b([A-Z][A-Za-z0-9_]*Exception)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ExceptionName();
}
