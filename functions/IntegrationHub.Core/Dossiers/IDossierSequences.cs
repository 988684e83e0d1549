using IntegrationHub.Core.Messaging;

namespace IntegrationHub.Core.Dossiers;

/// <summary>
/// The hub store's dossier-code sequences, as a routing transaction takes a number: the store decides
/// whether the number commits with the transaction (no gap when it rolls back) or is taken on its own
/// before (so that instances sharing a store do not route one after another).
/// </summary>
public interface IDossierSequences
{
    /// <summary>The sequence to number a dossier routed in <paramref name="transaction"/>.</summary>
    IDossierSequence For(IHubTransaction transaction);
}
