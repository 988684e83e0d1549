namespace IntegrationHub.Benchmarks;

/// <summary>The hub's side of a scenario: one round of <c>count</c> messages or dossiers.</summary>
internal interface IHubSide
{
    /// <summary>
    /// Prepares a round, calls <paramref name="started"/> as the clock starts, does the work and
    /// returns how long it took from then.
    /// </summary>
    Task<TimeSpan> RunRoundAsync(int count, Action started, CancellationToken cancellationToken);
}
