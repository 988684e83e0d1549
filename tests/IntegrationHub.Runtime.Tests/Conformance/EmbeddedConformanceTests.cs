namespace IntegrationHub.Runtime.Tests.Conformance;

/// <summary>The conformance suite on the embedded transport (SQLite).</summary>
public sealed class EmbeddedConformanceTests : QueueConformanceTests
{
    protected override IReadOnlyDictionary<string, string?> TransportSettings { get; } = new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = "embedded",
    };
}
