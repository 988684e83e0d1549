namespace IntegrationHub.Functions.Identity;

/// <summary>A question the hub refuses to put to the population database, and why.</summary>
internal sealed class IdentityRequestException(string problemType, string field, string message, IReadOnlyList<string>? allowed = null) : Exception(message)
{
    public string ProblemType { get; } = problemType;

    public string Field { get; } = field;

    public IReadOnlyList<string>? Allowed { get; } = allowed;
}
