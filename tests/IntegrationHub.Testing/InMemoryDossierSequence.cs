using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IntegrationHub.Core.Dossiers;

namespace IntegrationHub.Testing;

/// <summary>A dossier-code sequence in this process, for tests of what numbers the codes carry.</summary>
public sealed class InMemoryDossierSequence : IDossierSequence
{
    private readonly ConcurrentDictionary<(string Agency, DateOnly Day), StrongBox<long>> counters = new();

    public ValueTask<long> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
    {
        var counter = counters.GetOrAdd((agencyCode, day), _ => new StrongBox<long>(0));
        return ValueTask.FromResult(Interlocked.Increment(ref counter.Value));
    }
}
