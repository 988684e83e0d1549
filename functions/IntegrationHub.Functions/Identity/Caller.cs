namespace IntegrationHub.Functions.Identity;

/// <summary>The officer asking, as the audit log records them.</summary>
/// <param name="Officer">The account.</param>
/// <param name="Unit">The unit.</param>
internal readonly record struct Caller(string Officer, string Unit);
