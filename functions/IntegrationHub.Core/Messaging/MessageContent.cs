using System.Collections.Frozen;

namespace IntegrationHub.Core.Messaging;

/// <summary>
/// What a message says, sent or received, with the properties of an Azure Service Bus message so that
/// the functions mean the same thing on every transport.
/// </summary>
public abstract record MessageContent
{
    /// <summary>
    /// Identifies the message; derived from the business key and the step (e.g.
    /// <c>route:G22.99-241205-000123</c>), so that a resend is recognised as a duplicate.
    /// </summary>
    public required string MessageId { get; init; }

    /// <summary>The payload (UTF-8 JSON unless <see cref="ContentType"/> says otherwise).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Ties the messages of one dossier together (its portal code).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>What the message is (its contract name, e.g. <c>DossierRouted</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>The payload's media type.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>
    /// Application properties (e.g. <c>traceparent</c>); on a received message the transports' own
    /// <c>x-</c> ones are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApplicationProperties { get; init; } = FrozenDictionary<string, string>.Empty;
}
