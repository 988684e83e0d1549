using System.Runtime.CompilerServices;
using IntegrationHub.Core.Audit;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Operations;
using IntegrationHub.Core.Store;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Core.Tests.Audit;

/// <summary>
/// The three logs held in memory as a store would hold them (entries, seals, checkpoints), sealed and
/// signed with the real code, with a way to do to them what someone with write access could.
/// </summary>
internal sealed class AuditTrail : IAuditChainReader, IDisposable
{
    private readonly Dictionary<(string Kind, string Id), AuditEntry> entries = [];
    private readonly Dictionary<string, List<ChainSeal>> seals = AuditChains.All.ToDictionary(c => c, _ => new List<ChainSeal>());
    private readonly Dictionary<string, List<AuditEntry>> unsealed = AuditChains.All.ToDictionary(c => c, _ => new List<AuditEntry>());
    private readonly List<AuditCheckpoint> checkpoints = [];
    private readonly List<AuditRetention> retentions = [];
    private long nextId = 1;

    public AuditSigningKey Key { get; } = AuditSigningKey.Create();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero));

    public IReadOnlyList<AuditCheckpoint> Checkpoints => checkpoints;

    public AuditKeySet Keys(params AuditSigningKey[] retired) => new([Key.PublicKey(), .. retired.Select(k => k.PublicKey(current: false))]);

    public AuditTrail Timeline(int count, string portalCode = "G22.99-241203-000245")
    {
        for (var i = 0; i < count; i++)
        {
            Add(AuditEntries.Of(nextId++, new TimelineEvent
            {
                PortalCode = portalCode, At = Tick(), Actor = "Nguyễn Văn Bình", Unit = "Sở Tư pháp",
                Action = $"Bước {i + 1}: xử lý hồ sơ", Status = DossierStatus.InProcessing, MessageId = $"status:{portalCode}:{i}",
            }));
        }

        return this;
    }

    /// <summary>Lookups asked of the population database, each followed by its outcome as an entry of its own.</summary>
    public AuditTrail Lookups(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = $"idl-{nextId++:D6}";
            Add(AuditEntries.Of(new IdentityLookup
            {
                LookupId = id, At = Tick(), Officer = "canbo01", Unit = "Bộ phận Một cửa Tây Hồ", Purpose = "1.010819",
                MaskedCitizenId = "001******345", CitizenKey = "hmac-sha256:7f3a9c",
            }));
            Add(AuditEntries.Of(nextId++, new IdentityLookupOutcome { LookupId = id, At = Tick(), Outcome = "match" }));
        }

        return this;
    }

    public AuditTrail Operator(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Add(AuditEntries.Of(new OperatorAction
            {
                Id = nextId++, At = Tick(), Actor = "ops-01", ActorName = "Trần Thị Hoa", Unit = "Trung tâm", Action = OperatorActions.Replay,
                Queue = "route", MessageId = $"route:G22.99-250117-{i:D6}", Comment = "Thủ tục đã được bổ sung", Detail = """{"count":1}""",
            }));
        }

        return this;
    }

    public AuditTrail Seal()
    {
        foreach (var chain in AuditChains.All)
        {
            var (sealedNow, _) = ChainSealing.Seal(Head(chain), unsealed[chain]);
            seals[chain].AddRange(sealedNow);
            unsealed[chain].Clear();
        }

        return this;
    }

    public AuditCheckpoint Checkpoint(AuditSigningKey? key = null)
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        var checkpoint = (key ?? Key).Sign(checkpoints.Count == 0 ? 1 : checkpoints[^1].Number + 1, Clock.GetUtcNow(), AuditChains.All.Select(Head));
        checkpoints.Add(checkpoint);
        return checkpoint;
    }

    public AuditChainHead Head(string chain) => seals[chain] is { Count: > 0 } list
        ? new AuditChainHead { Chain = chain, Count = list[^1].Position, LastHash = list[^1].Hash }
        : ChainSealing.Empty(chain);

    public ChainSeal SealAt(string chain, long position) => seals[chain].Single(s => s.Position == position);

    public AuditEntry EntryAt(string chain, long position) => entries[Ref(SealAt(chain, position))];

    /// <summary>An UPDATE of one field of a sealed entry.</summary>
    public void Edit(string chain, long position, string field, AuditValue value)
    {
        var entry = EntryAt(chain, position);
        entries[Ref(SealAt(chain, position))] = entry with { Fields = [.. entry.Fields.Select(f => f.Name == field ? f with { Value = value } : f)] };
    }

    /// <summary>A DELETE of an entry's row, its seal left.</summary>
    public void DeleteEntry(string chain, long position) => entries.Remove(Ref(SealAt(chain, position)));

    /// <summary>A DELETE of an entry and its seal.</summary>
    public void DeleteEntryAndSeal(string chain, long position)
    {
        DeleteEntry(chain, position);
        seals[chain].RemoveAll(s => s.Position == position);
    }

    /// <summary>Two entries' rows exchanged (every field but the key).</summary>
    public void SwapEntries(string chain, long a, long b)
    {
        var (refA, refB) = (Ref(SealAt(chain, a)), Ref(SealAt(chain, b)));
        (entries[refA], entries[refB]) = (entries[refB] with { EntryId = refA.Id }, entries[refA] with { EntryId = refB.Id });
    }

    /// <summary>Two seals' positions exchanged.</summary>
    public void SwapSeals(string chain, long a, long b)
    {
        var list = seals[chain];
        var (i, j) = (list.FindIndex(s => s.Position == a), list.FindIndex(s => s.Position == b));
        (list[i], list[j]) = (list[j] with { Position = a }, list[i] with { Position = b });
    }

    /// <summary>Entries from a position on deleted with their seals, and every stored checkpoint that covered them.</summary>
    public void CutTail(string chain, long from)
    {
        foreach (var seal in seals[chain].Where(s => s.Position >= from).ToList())
        {
            DeleteEntryAndSeal(chain, seal.Position);
        }

        checkpoints.RemoveAll(c => c.Chains.Single(h => h.Chain == chain).Count >= from);
    }

    /// <summary>The whole chain hashed again from its entries as they are now: a rewrite that leaves every link consistent.</summary>
    public void Rechain(string chain)
    {
        var current = seals[chain].OrderBy(s => s.Position).Select(s => entries[Ref(s)]).ToList();
        seals[chain].Clear();
        seals[chain].AddRange(ChainSealing.Seal(ChainSealing.Empty(chain), current).Seals);
    }

    public void ReplaceCheckpoint(long number, Func<AuditCheckpoint, AuditCheckpoint> change)
    {
        var index = checkpoints.FindIndex(c => c.Number == number);
        checkpoints[index] = change(checkpoints[index]);
    }

    public void RemoveCheckpoint(long number) => checkpoints.RemoveAll(c => c.Number == number);

    /// <summary>What retention does: every entry and seal a checkpoint covers deleted, the checkpoint kept, the deletion signed for.</summary>
    public void Prune(AuditCheckpoint through, AuditSigningKey? signer = null)
    {
        ArgumentNullException.ThrowIfNull(through);
        retentions.Add((signer ?? Key).SignRetention(through.Number, Clock.GetUtcNow()));
        Delete(through);
    }

    /// <summary>Every entry and seal a checkpoint covers deleted, with no retention record: what an intruder would do.</summary>
    public void Delete(AuditCheckpoint through)
    {
        ArgumentNullException.ThrowIfNull(through);
        foreach (var head in through.Chains)
        {
            foreach (var seal in seals[head.Chain].Where(s => s.Position <= head.Count).ToList())
            {
                DeleteEntryAndSeal(head.Chain, seal.Position);
            }
        }
    }

    public async IAsyncEnumerable<SealedEntry> ReadAsync(string chain, long fromPosition, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var seal in seals[chain].Where(s => s.Position >= fromPosition).OrderBy(s => s.Position))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new SealedEntry(seal, entries.GetValueOrDefault(Ref(seal)));
        }
    }

    public Task<IReadOnlyList<AuditChainHead>> HeadsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditChainHead>>([.. AuditChains.All.Select(Head)]);

    public Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditCheckpoint>>([.. checkpoints]);

    public Task<IReadOnlyList<AuditRetention>> RetentionsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditRetention>>([.. retentions]);

    public Task<long> UnsealedAsync(string chain, CancellationToken cancellationToken) => Task.FromResult((long)unsealed[chain].Count);

    public void Dispose() => Key.Dispose();

    private static (string Kind, string Id) Ref(ChainSeal seal) => (seal.Kind, seal.EntryId);

    private void Add(AuditEntry entry)
    {
        entries[(entry.Kind, entry.EntryId)] = entry;
        unsealed[AuditEntries.ChainOf(entry.Kind)].Add(entry);
    }

    private DateTimeOffset Tick()
    {
        Clock.Advance(TimeSpan.FromMilliseconds(1500));
        return Clock.GetUtcNow();
    }
}
