namespace IntegrationHub.Core.Dossiers;

/// <summary>
/// The source of daily dossier-code sequence numbers. The hub store implements it so that a number
/// is never handed out twice, also across hub instances.
/// </summary>
public interface IDossierSequence
{
    /// <summary>The next number (1, 2, ...) for the agency on that Vietnam calendar day.</summary>
    ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken);
}
