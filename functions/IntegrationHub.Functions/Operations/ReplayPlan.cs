namespace IntegrationHub.Functions.Operations;

/// <summary>What a replay would do: each dead letter and the queue it goes back to.</summary>
internal sealed record ReplayPlan(string Queue, IReadOnlyList<ReceivedMessage> Letters);
