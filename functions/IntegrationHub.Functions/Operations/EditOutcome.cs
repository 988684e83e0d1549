namespace IntegrationHub.Functions.Operations;

/// <summary>What an edit would do, or did.</summary>
internal sealed record EditOutcome(string Queue, string MessageId, bool DryRun, bool Replayed, IReadOnlyList<FieldChange> Changes);
