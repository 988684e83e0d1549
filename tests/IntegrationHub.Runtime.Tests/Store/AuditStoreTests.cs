using System.Data.Common;
using IntegrationHub.Core.Audit;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Operations;
using IntegrationHub.Core.Store;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.Audit;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// The three logs written through the hub's own ports, sealed and signed by the real sealer, then
/// changed directly in the database as someone with write access would (triggers disabled first), and
/// verified with the real verifier over a snapshot of the store: each change is named where it is.
/// </summary>
[Trait("Category", "Unit")]
public abstract class AuditStoreTests(ITestStore store) : TestsOnAStore(store), IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(Start);
    private readonly AuditSigningKey key = AuditSigningKey.Create();
    private HubHost hub = null!;
    private int written;

    private IAuditStore Audit => hub.Services.GetRequiredService<IAuditStore>();

    [Fact]
    public async Task Verify_Untouched_IsIntactUpToTheLastCheckpoint()
    {
        await WrittenAsync();

        var report = await VerifyAsync();

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(2, report.IntactThrough?.Number);
        Assert.Equal([(AuditChains.Identity, 7L), (AuditChains.Operator, 4L), (AuditChains.Timeline, 9L)], report.Chains.Select(c => (c.Chain, c.Length)));
        Assert.StartsWith("20 entries in 3 chains, intact up to checkpoint 2 of ", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TimelineFieldEdited_NamesItsPosition()
    {
        await WrittenAsync();
        var id = await EntryIdAsync(AuditChains.Timeline, 3);

        await TamperAsync("hub_dossier_timeline", $"UPDATE hub_dossier_timeline SET actor = 'Người khác' WHERE id = {id}");

        var finding = Assert.Single((await VerifyAsync()).Findings);
        Assert.Equal(("dossier timelines", AuditChains.Timeline, 3L, AuditProblem.EntryAltered), (finding.Log, finding.Chain, finding.Position, finding.Problem));
        Assert.Equal(await HashAsync(AuditChains.Timeline, 3), finding.Expected);
    }

    [Fact]
    public async Task Verify_LookupOutcomeEdited_NamesTheOutcomeEntry()
    {
        await WrittenAsync();
        var outcome = await ScalarTextAsync("SELECT CAST(id AS TEXT) FROM hub_identity_outcomes ORDER BY id LIMIT 1 OFFSET 1");

        await TamperAsync("hub_identity_outcomes", $"UPDATE hub_identity_outcomes SET outcome = 'notFound' WHERE id = {outcome}");

        var finding = Assert.Single((await VerifyAsync()).Findings);
        Assert.Equal(("identity-lookup log", AuditProblem.EntryAltered), (finding.Log, finding.Problem));
        Assert.Equal(await PositionOfAsync(AuditEntryKinds.IdentityOutcome, outcome), finding.Position);
        Assert.Contains("identity.outcome", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OperatorAuditRowDeleted_NamesTheMissingEntry()
    {
        await WrittenAsync();
        var id = await EntryIdAsync(AuditChains.Operator, 2);

        await TamperAsync("hub_ops_audit", $"DELETE FROM hub_ops_audit WHERE id = {id}");

        var finding = Assert.Single((await VerifyAsync()).Findings);
        Assert.Equal(("operator audit log", 2L, AuditProblem.EntryMissing, $"operator.action {id}"), (finding.Log, finding.Position, finding.Problem, finding.Expected));
    }

    [Fact]
    public async Task Verify_TwoTimelineEntriesSwapped_NamesBoth()
    {
        await WrittenAsync();
        var (a, b) = (await EntryIdAsync(AuditChains.Timeline, 5), await EntryIdAsync(AuditChains.Timeline, 6));
        var (codeA, codeB) = (await ScalarTextAsync($"SELECT portal_code FROM hub_dossier_timeline WHERE id = {a}"), await ScalarTextAsync($"SELECT portal_code FROM hub_dossier_timeline WHERE id = {b}"));
        var (messageA, messageB) = (await ScalarTextAsync($"SELECT message_id FROM hub_dossier_timeline WHERE id = {a}"), await ScalarTextAsync($"SELECT message_id FROM hub_dossier_timeline WHERE id = {b}"));

        await TamperAsync("hub_dossier_timeline", $"""
            UPDATE hub_dossier_timeline SET portal_code = CASE id WHEN {a} THEN '{codeB}' ELSE '{codeA}' END,
                                            message_id = CASE id WHEN {a} THEN '{messageB}' ELSE '{messageA}' END
            WHERE id IN ({a}, {b})
            """);

        var report = await VerifyAsync();
        Assert.Equal([(5L, AuditProblem.EntryAltered), (6L, AuditProblem.EntryAltered)], report.Findings.Select(f => (f.Position, f.Problem)));
    }

    [Fact]
    public async Task Verify_TailCutAfterAnExportedCheckpoint_NamesWhereTheChainEndsAgainstTheExport()
    {
        await WrittenAsync();
        var exported = CheckpointExports.Read(CheckpointExports.Write(CheckpointExports.Of(await CheckpointsAsync(), Start)));
        var from = await EntryIdAsync(AuditChains.Timeline, 7);

        await TamperAsync("hub_dossier_timeline", $"DELETE FROM hub_dossier_timeline WHERE id >= {from}");
        await TamperAsync("hub_audit_seals", "DELETE FROM hub_audit_seals WHERE chain = 'timeline' AND position >= 7");
        await TamperAsync("hub_audit_checkpoint_heads", "DELETE FROM hub_audit_checkpoint_heads WHERE number = 2");
        await TamperAsync("hub_audit_checkpoints", "DELETE FROM hub_audit_checkpoints WHERE number = 2");

        var alone = await VerifyAsync();
        var report = await VerifyAsync(new AuditVerificationRequest { Exported = exported });

        Assert.True(alone.Intact, alone.Summary);
        var cut = report.Findings.First();
        Assert.Equal((AuditChains.Timeline, 7L, AuditProblem.ChainShort, "9 entries (exported checkpoint 2)", "6 entries"), (cut.Chain, cut.Position, cut.Problem, cut.Expected, cut.Found));
        Assert.Contains(report.Findings, f => f is { Log: "exported checkpoints", Problem: AuditProblem.CheckpointMissing, Checkpoint: 2 });
    }

    [Fact]
    public async Task Verify_CheckpointForged_NamesItsSignature()
    {
        await WrittenAsync();

        await TamperAsync("hub_audit_checkpoint_heads", "UPDATE hub_audit_checkpoint_heads SET entry_count = 8 WHERE number = 2 AND chain = 'timeline'");

        var finding = Assert.Single((await VerifyAsync()).Findings);
        Assert.Equal(("checkpoints", 2L, AuditProblem.SignatureInvalid), (finding.Log, finding.Position, finding.Problem));
    }

    [Fact]
    public async Task Verify_CheckpointResignedWithAnotherKey_NamesTheUnknownKey()
    {
        await WrittenAsync();
        using var stranger = AuditSigningKey.Create();
        var second = (await CheckpointsAsync()).Single(c => c.Number == 2);
        var resigned = stranger.Sign(second.Number, second.At, second.Chains);

        await TamperAsync("hub_audit_checkpoints", $"UPDATE hub_audit_checkpoints SET key_id = '{resigned.KeyId}', signature = '{resigned.Signature}' WHERE number = 2");

        var finding = Assert.Single((await VerifyAsync()).Findings);
        Assert.Equal((2L, AuditProblem.UnknownKey, $"a signature by key {stranger.KeyId}"), (finding.Position, finding.Problem, finding.Found));
    }

    [Fact]
    public async Task Logs_ChangedWithTheTriggersInPlace_AreRefused()
    {
        await WrittenAsync();

        foreach (var sql in new[]
        {
            "UPDATE hub_dossier_timeline SET actor = 'x'", "DELETE FROM hub_dossier_timeline", "UPDATE hub_identity_lookups SET purpose = 'x'",
            "DELETE FROM hub_identity_lookups", "UPDATE hub_identity_outcomes SET outcome = 'x'", "DELETE FROM hub_identity_outcomes",
            "UPDATE hub_ops_audit SET comment = 'x'", "DELETE FROM hub_ops_audit", "UPDATE hub_audit_seals SET hash = 'x'", "DELETE FROM hub_audit_seals",
            "UPDATE hub_audit_checkpoints SET key_id = 'x'", "DELETE FROM hub_audit_checkpoints", "DELETE FROM hub_audit_checkpoint_heads",
        })
        {
            var refusal = await Record.ExceptionAsync(() => hub.ScalarAsync(sql));
            Assert.True(refusal is DbException && refusal.Message.Contains("append-only", StringComparison.Ordinal), $"{sql}: {refusal?.Message ?? "not refused"}");
        }

        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Retain_ThroughACheckpoint_DeletesWhatItCoversAndWhatRemainsVerifies()
    {
        await WrittenAsync();
        var first = (await CheckpointsAsync()).Single(c => c.Number == 1);

        var result = await Audit.RetainAsync(key.SignRetention(1, clock.GetUtcNow()), Retention(1), CancellationToken.None);
        await SealAndCheckpointAsync();

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(first.Chains.Sum(h => h.Count), result.Entries);
        Assert.Equal(result.Entries, result.Seals);
        Assert.Equal(1, report.RetainedThrough?.Number);
        Assert.Equal(first.Chains.Single(h => h.Chain == AuditChains.Timeline).Count + 1, report.Chains.Single(c => c.Chain == AuditChains.Timeline).FirstPosition);
        Assert.Equal(1, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_ops_audit WHERE action = 'auditRetention'"));
        Assert.Contains("append-only", (await Record.ExceptionAsync(() => hub.ScalarAsync("DELETE FROM hub_dossier_timeline")))?.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Audit.RetainAsync(key.SignRetention(1, clock.GetUtcNow()), Retention(1), CancellationToken.None));
    }

    [Fact]
    public async Task Snapshot_OpenedReadOnlyFromOutsideTheHub_VerifiesTheSame()
    {
        await WrittenAsync();
        var settings = hub.Services.GetRequiredService<IConfiguration>();

        await using var snapshot = hub.Database.Dialect == SqlDialect.Sqlite
            ? await AuditStoreReader.OpenSqliteAsync(settings["Messaging:DatabasePath"]!, CancellationToken.None)
            : await AuditStoreReader.OpenPostgresAsync(settings["Messaging:PostgreSql:ConnectionString"]!, CancellationToken.None);
        using var keys = new AuditKeySet([key.PublicKey()]);
        var report = await new AuditVerifier(keys, clock).VerifyAsync(snapshot, new AuditVerificationRequest(), CancellationToken.None);

        Assert.True(report.Intact, report.Summary);
        Assert.Equal(20, report.Entries);
    }

    [Fact]
    public async Task Seal_EntriesWrittenBeforeChainingBegan_AreSealedOnceByTheFirstPassWithAFirstCheckpoint()
    {
        hub = await StartHostAsync(clock, services => services.AddAuditStore());
        await WriteAsync(timeline: 5, lookups: 2, actions: 1);

        var pass = await new AuditSealer(Audit, key, new CheckpointPolicy(TimeSpan.FromHours(1), 1_000_000), clock) { BatchSize = 2 }.RunAsync(CancellationToken.None);
        var again = await new AuditSealer(Audit, key, new CheckpointPolicy(TimeSpan.FromHours(1), 1_000_000), clock).RunAsync(CancellationToken.None);

        Assert.Equal((10, 1L), (pass.Sealed, pass.Checkpoint?.Number));
        Assert.Equal((0, (AuditCheckpoint?)null), (again.Sealed, again.Checkpoint));
        Assert.Equal(10, await hub.ScalarAsync("SELECT COUNT(*) FROM hub_audit_seals"));
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Seal_ABacklogOverSeveralStatementsAndBatches_SealsEachEntryOnceAndVerifies()
    {
        hub = await StartHostAsync(clock, services => services.AddAuditStore());
        await WriteAsync(timeline: 75, lookups: 40, actions: 2);

        var pass = await new AuditSealer(Audit, key, new CheckpointPolicy(TimeSpan.FromHours(1), 1_000_000), clock) { BatchSize = 70 }.RunAsync(CancellationToken.None);
        var again = await new AuditSealer(Audit, key, new CheckpointPolicy(TimeSpan.FromHours(1), 1_000_000), clock).RunAsync(CancellationToken.None);

        Assert.Equal(75 + 80 + 2, pass.Sealed);
        Assert.Equal(0, again.Sealed);
        Assert.Equal(75 + 80 + 2, await hub.ScalarAsync("SELECT COUNT(DISTINCT kind || ':' || entry_id) FROM hub_audit_seals"));
        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(75 + 80 + 2, report.Entries);
    }

    [Fact]
    public async Task Seal_TwoInstancesWritingAndSealingAtOnce_SealEveryEntryOnceInOneChain()
    {
        hub = await StartHostAsync(clock, services => services.AddAuditStore());
        var other = await StartHostAsync(clock, services => services.AddAuditStore());
        var policy = new CheckpointPolicy(TimeSpan.FromHours(1), 50);
        using var stop = new CancellationTokenSource();
        var sealers = new[] { hub, other }.Select(h => Task.Run(async () =>
        {
            var sealer = new AuditSealer(h.Services.GetRequiredService<IAuditStore>(), key, policy, clock) { BatchSize = 7 };
            // Two sealers at once (a lease overrun): the one that loses the race for a position ends its pass, no error.
            while (!stop.IsCancellationRequested)
            {
                await sealer.RunAsync(CancellationToken.None);
            }
        })).ToList();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => WriteAsync(i % 2 == 0 ? hub : other, timeline: 10, lookups: 2, actions: 1)));
        await stop.CancelAsync();
        await Task.WhenAll(sealers);
        await SealAndCheckpointAsync();

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(8 * (10 + 4 + 1), report.Entries);
        Assert.Equal(0, report.Chains.Sum(c => c.Unsealed));
        Assert.Equal(report.Entries, await hub.ScalarAsync("SELECT COUNT(DISTINCT kind || ':' || entry_id) FROM hub_audit_seals"));
    }

    public void Dispose()
    {
        key.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>9 timeline steps, 4 lookups (one answered from the cache, three with outcomes of their own: 7 entries), 4 operator actions; sealed and signed twice.</summary>
    private async Task WrittenAsync()
    {
        hub = await StartHostAsync(clock, services => services.AddAuditStore());
        await WriteAsync(timeline: 6, lookups: 3, actions: 3);
        Assert.Equal(1, (await SealAndCheckpointAsync()).Checkpoint?.Number);
        await WriteAsync(timeline: 3, lookups: 0, actions: 1, cached: true);
        Assert.Equal(2, (await SealAndCheckpointAsync()).Checkpoint?.Number);
    }

    private Task WriteAsync(int timeline, int lookups, int actions, bool cached = false) => WriteAsync(hub, timeline, lookups, actions, cached);

    private async Task WriteAsync(HubHost on, int timeline, int lookups, int actions, bool cached = false)
    {
        var registry = on.Services.GetRequiredService<IDossierRegistry>();
        var identity = on.Services.GetRequiredService<IIdentityAuditLog>();
        var operators = on.Services.GetRequiredService<IOperatorAuditLog>();
        for (var i = 0; i < timeline; i++)
        {
            await using var transaction = await on.Transactions.BeginAsync(CancellationToken.None);
            await registry.AppendAsync(transaction, new TimelineEvent
            {
                PortalCode = $"G22.99-241203-{Interlocked.Increment(ref written):D6}", At = clock.GetUtcNow(), Actor = "Nguyễn Văn Bình", Unit = "Sở Tư pháp",
                Action = "Tiếp nhận hồ sơ", Status = DossierStatus.Accepted, MessageId = $"route:{i}",
            }, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        for (var i = 0; i < lookups; i++)
        {
            var id = $"idl-{Interlocked.Increment(ref written)}";
            await identity.RecordLookupAsync(Lookup(id), CancellationToken.None);
            await identity.RecordOutcomeAsync(new IdentityLookupOutcome { LookupId = id, At = clock.GetUtcNow(), Outcome = "match" }, CancellationToken.None);
        }

        if (cached)
        {
            await identity.RecordLookupAsync(Lookup($"idl-{Interlocked.Increment(ref written)}") with { Outcome = "match", FromCache = true }, CancellationToken.None);
        }

        for (var i = 0; i < actions; i++)
        {
            await using var transaction = await on.Transactions.BeginAsync(CancellationToken.None);
            await operators.AppendAsync(transaction, new OperatorAction
            {
                At = clock.GetUtcNow(), Actor = "ops-01", ActorName = "Trần Thị Hoa", Unit = "Trung tâm", Action = OperatorActions.Replay, Queue = "route",
                JobId = $"job-{i}", Comment = "Thủ tục đã được bổ sung", Detail = """{"count":1}""",
            }, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
    }

    private IdentityLookup Lookup(string id) => new()
    {
        LookupId = id, At = clock.GetUtcNow(), Officer = "canbo01", Unit = "Bộ phận Một cửa Tây Hồ", Purpose = "1.010819",
        MaskedCitizenId = "001******345", CitizenKey = "hmac:7f3a",
    };

    private async Task<SealingPass> SealAndCheckpointAsync()
    {
        clock.Advance(TimeSpan.FromMinutes(5));
        return await new AuditSealer(Audit, key, new CheckpointPolicy(TimeSpan.FromMinutes(1), 1_000_000), clock).RunAsync(CancellationToken.None);
    }

    private OperatorAction Retention(long checkpoint) => new()
    {
        At = clock.GetUtcNow(), Actor = "ops-01", ActorName = "Trần Thị Hoa", Action = OperatorActions.AuditRetention, Comment = "Hết thời hạn lưu trữ",
        Detail = $$"""{"throughCheckpoint":{{checkpoint}}}""",
    };

    private async Task<AuditVerificationReport> VerifyAsync(AuditVerificationRequest? request = null)
    {
        using var keys = new AuditKeySet([key.PublicKey()]);
        await using var snapshot = await hub.Services.GetRequiredService<IAuditSnapshots>().OpenAsync(CancellationToken.None);
        return await new AuditVerifier(keys, clock).VerifyAsync(snapshot, request ?? new AuditVerificationRequest(), CancellationToken.None);
    }

    private async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync()
    {
        await using var snapshot = await hub.Services.GetRequiredService<IAuditSnapshots>().OpenAsync(CancellationToken.None);
        return await snapshot.CheckpointsAsync(CancellationToken.None);
    }

    private Task<string> EntryIdAsync(string chain, long position) => ScalarTextAsync($"SELECT entry_id FROM hub_audit_seals WHERE chain = '{chain}' AND position = {position}");

    private Task<string> HashAsync(string chain, long position) => ScalarTextAsync($"SELECT hash FROM hub_audit_seals WHERE chain = '{chain}' AND position = {position}");

    private async Task<long> PositionOfAsync(string kind, string entryId) => await hub.ScalarAsync($"SELECT position FROM hub_audit_seals WHERE kind = '{kind}' AND entry_id = '{entryId}'");

    private async Task<string> ScalarTextAsync(string sql)
    {
        await using var connection = await hub.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs SQL as someone with write access to the database would: the table's triggers out of the way first.</summary>
    private async Task TamperAsync(string table, string sql)
    {
        await using var connection = await hub.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        if (hub.Database.Dialect == SqlDialect.PostgreSql)
        {
            command.CommandText = $"ALTER TABLE {table} DISABLE TRIGGER USER; {sql}; ALTER TABLE {table} ENABLE TRIGGER USER;";
        }
        else
        {
            command.CommandText = $"SELECT group_concat('DROP TRIGGER ' || name || ';', ' ') FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}'";
            var drops = await command.ExecuteScalarAsync() as string;
            command.CommandText = $"{drops} {sql}";
        }

        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteAuditStoreTests() : AuditStoreTests(new SqliteTestStore());

public sealed class PostgresAuditStoreTests(PostgresServer postgres, RabbitMqBroker broker)
    : AuditStoreTests(new PostgresTestStore(postgres, broker))
{
    /// <summary>
    /// A pass holds one connection of the pool, reading and writing on it: on a pool of one it seals
    /// everything (holding one while waiting for a second, it would wait for itself until the pool's
    /// timeout, every pass).
    /// </summary>
    [Fact]
    public async Task Seal_OnAPoolOfOneConnection_SealsEverything()
    {
        var settings = ((PostgresTestStore)Store).Settings("Maximum Pool Size=1;Timeout=3");
        await using var instance = await HubHost.StartAsync(settings, TimeProvider.System, services => services.AddAuditStore());
        var operators = instance.Services.GetRequiredService<IOperatorAuditLog>();
        for (var i = 0; i < 12; i++)
        {
            await using var transaction = await instance.Transactions.BeginAsync(CancellationToken.None);
            await operators.AppendAsync(transaction, new OperatorAction { At = TimeProvider.System.GetUtcNow(), Actor = "ops-01", ActorName = "Trần Thị Hoa", Action = OperatorActions.Replay, Queue = "route", JobId = $"job-{i}", Comment = "Thủ tục đã được bổ sung" }, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        using var signing = AuditSigningKey.Create();
        var sealer = new AuditSealer(instance.Services.GetRequiredService<IAuditStore>(), signing, new CheckpointPolicy(TimeSpan.FromHours(1), 5), TimeProvider.System) { BatchSize = 5 };
        var pass = await sealer.RunAsync(CancellationToken.None);

        Assert.Equal(12, pass.Sealed);
        Assert.NotNull(pass.Checkpoint);
        Assert.Equal(12, await instance.ScalarAsync("SELECT COUNT(*) FROM hub_audit_seals"));
    }
}
