namespace IntegrationHub.EndToEnd.Tests;

/// <summary>The end-to-end tests run one at a time: each runs a whole hub.</summary>
[CollectionDefinition(EndToEnd.Collection, DisableParallelization = true)]
public sealed class EndToEndCollection;
