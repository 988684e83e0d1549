using System.Collections.Concurrent;
using System.Data.Common;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.Flows;
using IntegrationHub.Runtime.Store.PostgreSql;
using IntegrationHub.Schemas;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// The flows' store (dossiers and timelines, code sequences, the identity-lookup audit) on each hub
/// store, with two hub instances on one store where the test says so.
/// </summary>
[Trait("Category", "Unit")]
public abstract class FlowStoreTests(ITestStore store) : TestsOnAStore(store)
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 4, 29, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Registry_AddedAndSaved_ReadsBackAndRefusesAStaleVersion()
    {
        var hub = await StartAsync();
        var registry = hub.Services.GetRequiredService<IDossierRegistry>();
        var received = Dossier("G22.99-250429-000001");
        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            Assert.Equal([true, false], await registry.TryAddAsync(transaction, [received, received with { Fingerprint = "other" }], CancellationToken.None));
            Assert.Equal([false], await registry.TryAddAsync(transaction, [received], CancellationToken.None));
            await transaction.CommitAsync(CancellationToken.None);
        }

        var routed = received with
        {
            CityCode = "000.00.00.H26-250429-0001", Stage = DossierStage.Routed, DepartmentCode = "STP",
            Progress = new DossierProgress { Status = DossierStatus.Accepted, Resolution = new ResolutionTime { Days = 3, Kind = ResolutionKind.WorkingDays }, DueAt = ReceivedAt.AddDays(8) },
        };
        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await registry.SaveAsync(transaction, routed, CancellationToken.None);
            await registry.AppendAsync(transaction, new TimelineEvent { PortalCode = received.PortalCode, At = ReceivedAt, Actor = "hub", Unit = "hub", Action = "Routed." }, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        ConcurrencyException stale;
        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            // SQLite refuses the save; PostgreSQL sends it with the commit, which refuses it with the rest.
            stale = await Assert.ThrowsAsync<ConcurrencyException>(async () =>
            {
                await registry.SaveAsync(transaction, routed with { Stage = DossierStage.Rejected }, CancellationToken.None);
                await registry.AppendAsync(transaction, new TimelineEvent { PortalCode = received.PortalCode, At = ReceivedAt, Actor = "hub", Unit = "hub", Action = "Rejected." }, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            });
        }

        var read = await registry.ReadAsync("000.00.00.H26-250429-0001", CancellationToken.None);
        Assert.Equal((DossierStage.Routed, "STP", 1L), (read!.Stage, read.DepartmentCode, read.Version));
        Assert.Equal(routed.Progress.DueAt, read.Progress!.DueAt);
        Assert.Null(read.SectorSystem);
        Assert.Contains("since version 0", stale.Message, StringComparison.Ordinal);
        Assert.Equal(["Routed."], (await registry.TimelineAsync(received.PortalCode, CancellationToken.None)).Select(t => t.Action));
        Assert.Equal([received.PortalCode], (await registry.DueBeforeAsync(ReceivedAt.AddDays(9), 10, CancellationToken.None)).Select(d => d.PortalCode));
        Assert.Equal(received.PortalCode, (await registry.ReadAsync(received.PortalCode, CancellationToken.None))?.PortalCode);
    }

    /// <summary>
    /// A dossier without a city code is routed without being read; one that has a code, or none at all,
    /// is refused with the rest of its transaction (SQLite at the update, PostgreSQL at the commit).
    /// </summary>
    [Fact]
    public async Task Registry_RoutedUncoded_OnceAndNotOverACodeOrANoDossier()
    {
        var hub = await StartAsync();
        var registry = hub.Services.GetRequiredService<IDossierRegistry>();
        var received = Dossier("G22.99-250429-000002");
        await CommitAsync(hub, (transaction, token) => registry.TryAddAsync(transaction, [received], token));

        var routing = new DossierRouting
        {
            CityCode = "000.00.00.H26-250429-0002", DepartmentCode = "STP", ReceivingBranch = "TAYHO", SectorSystem = "land", RoutingVersion = "2025-04",
            Progress = new DossierProgress { Status = DossierStatus.Accepted, Resolution = new ResolutionTime { Days = 3, Kind = ResolutionKind.WorkingDays }, DueAt = ReceivedAt.AddDays(8) },
        };
        await CommitAsync(hub, (transaction, token) => registry.RouteUncodedAsync(transaction, received.PortalCode, routing, token));

        foreach (var (code, again) in new[] { (received.PortalCode, routing with { CityCode = "000.00.00.H26-250429-0003" }), ("G22.99-250429-000404", routing) })
        {
            var refused = await Assert.ThrowsAsync<ConcurrencyException>(() => CommitAsync(hub, async (transaction, token) =>
            {
                await registry.RouteUncodedAsync(transaction, code, again, token);
                await registry.AppendAsync(transaction, new TimelineEvent { PortalCode = code, At = ReceivedAt, Actor = "hub", Unit = "hub", Action = "Routed again." }, token);
            }));
            Assert.Contains($"Dossier {code} is not there or has a city code already", refused.Message, StringComparison.Ordinal);
        }

        var read = await registry.ReadAsync(routing.CityCode, CancellationToken.None);
        Assert.Equal(received.RoutedAs(routing) with { Version = 1 }, read);
        Assert.Empty(await registry.TimelineAsync(received.PortalCode, CancellationToken.None));
        Assert.Null(await registry.ReadAsync("G22.99-250429-000404", CancellationToken.None));
    }

    /// <summary>The latest change told to the portal is read alone; an older one marked after it does not turn it back.</summary>
    [Fact]
    public async Task Registry_PortalSyncedAt_IsTheLatestChangeTold()
    {
        var hub = await StartAsync();
        var registry = hub.Services.GetRequiredService<IDossierRegistry>();
        var received = Dossier("G22.99-250429-000003");
        await CommitAsync(hub, (transaction, token) => registry.TryAddAsync(transaction, [received], token));

        Assert.Null(await registry.PortalSyncedAtAsync(received.PortalCode, CancellationToken.None));
        foreach (var minutes in new[] { 30, 10 })
        {
            await CommitAsync(hub, (transaction, token) => registry.MarkPortalSyncedAsync(transaction, received.PortalCode, ReceivedAt.AddMinutes(minutes), token));
        }

        Assert.Equal(ReceivedAt.AddMinutes(30), await registry.PortalSyncedAtAsync(received.PortalCode, CancellationToken.None));
        Assert.Null(await registry.PortalSyncedAtAsync("G22.99-250429-000404", CancellationToken.None));
    }

    /// <summary>A portal code that has the form of a city code is still found by it, within a transaction and outside.</summary>
    [Fact]
    public async Task Registry_PortalCodeInTheFormOfACityCode_IsFoundByIt()
    {
        var hub = await StartAsync();
        var registry = hub.Services.GetRequiredService<IDossierRegistry>();
        const string code = "000.00.00.H30-250429-0007";
        await using var transaction = await hub.Transactions.BeginAsync(CancellationToken.None);
        await registry.TryAddAsync(transaction, [Dossier(code)], CancellationToken.None);

        var found = await registry.FindAsync(transaction, code, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);

        Assert.Equal(code, found?.PortalCode);
        Assert.Equal(code, (await registry.ReadAsync(code, CancellationToken.None))?.PortalCode);
        Assert.Null(await registry.ReadAsync("000.00.00.H30-250429-0008", CancellationToken.None));
    }

    [Fact]
    public async Task IdentityAudit_ListedWithAndWithoutFilters_FindsTheLookups()
    {
        var hub = await StartAsync();
        var audit = hub.Services.GetRequiredService<IIdentityAuditLog>();
        foreach (var (id, officer, minutes) in new[] { ("l-1", "officer-a", 0), ("l-2", "officer-b", 5) })
        {
            await audit.RecordLookupAsync(new IdentityLookup
            {
                LookupId = id, At = ReceivedAt.AddMinutes(minutes), Officer = officer, Unit = "TAYHO", Purpose = "Tiếp nhận hồ sơ",
                MaskedCitizenId = "001******789", CitizenKey = "key-1",
            }, CancellationToken.None);
        }

        await audit.RecordOutcomeAsync(new IdentityLookupOutcome { LookupId = "l-1", At = ReceivedAt.AddMinutes(1), Outcome = "match" }, CancellationToken.None);

        var all = await audit.ListAsync(new IdentityLookupFilter(null, null, null, null, 10), CancellationToken.None);
        var officerB = await audit.ListAsync(new IdentityLookupFilter("key-1", "officer-b", ReceivedAt, null, 10), CancellationToken.None);

        Assert.Equal(["l-2", "l-1"], all.Select(l => l.LookupId));
        Assert.Equal("match", all.Single(l => l.LookupId == "l-1").Outcome);
        Assert.Equal(["l-2"], officerB.Select(l => l.LookupId));
    }

    [Fact]
    public async Task IdentityAudit_OutcomeInATransaction_IsRecordedWhenItCommitsAndNotWhenItRollsBack()
    {
        var hub = await StartAsync();
        var audit = hub.Services.GetRequiredService<IIdentityAuditLog>();
        foreach (var id in new[] { "l-kept", "l-dropped" })
        {
            await audit.RecordLookupAsync(new IdentityLookup
            {
                LookupId = id, At = ReceivedAt, Officer = "integrationhub:intake", Unit = "TTHCC", Purpose = "intake-verification",
                MaskedCitizenId = "001******789", CitizenKey = "key-1",
            }, CancellationToken.None);
        }

        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await audit.RecordOutcomeAsync(transaction, new IdentityLookupOutcome { LookupId = "l-kept", At = ReceivedAt.AddSeconds(1), Outcome = "match" }, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        await using (var transaction = await hub.Transactions.BeginAsync(CancellationToken.None))
        {
            await audit.RecordOutcomeAsync(transaction, new IdentityLookupOutcome { LookupId = "l-dropped", At = ReceivedAt.AddSeconds(1), Outcome = "match" }, CancellationToken.None);
        }

        var listed = await audit.ListAsync(new IdentityLookupFilter("key-1", null, null, null, 10), CancellationToken.None);
        Assert.Equal("match", listed.Single(l => l.LookupId == "l-kept").Outcome);
        Assert.Null(listed.Single(l => l.LookupId == "l-dropped").Outcome);
    }

    [Fact]
    public async Task DossierSequence_TwoInstancesNumberingAtOnce_NeverShareANumber()
    {
        var instances = new[] { await StartAsync(), await StartAsync() };
        var day = DateOnly.FromDateTime(ReceivedAt.Date);
        var issued = new ConcurrentBag<long>();
        var committed = new ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var instance = instances[i % 2];
            await using var transaction = await instance.Transactions.BeginAsync(CancellationToken.None);
            var number = await instance.Services.GetRequiredService<IDossierSequences>().For(transaction).NextAsync("000.00.00.H26", day, CancellationToken.None);
            issued.Add(number);
            if (i % 5 != 0)
            {
                await transaction.CommitAsync(CancellationToken.None);
                committed.Add(number);
            }
        }));

        Assert.Equal(48, committed.Distinct().Count());
        if (instances[0].Services.GetRequiredService<IHubDatabase>().Dialect == SqlDialect.Sqlite)
        {
            // The number commits with the routing: a rolled-back one is given out again, so no gap.
            Assert.Equal(Enumerable.Range(1, 48).Select(n => (long)n), committed.Order());
        }
        else
        {
            // The number is taken for good before the routing commits: a rolled-back one is a gap.
            Assert.Equal(Enumerable.Range(1, 60).Select(n => (long)n), issued.Order());
        }
    }

    /// <summary>Runs <paramref name="work"/> in a unit of work of the hub's and commits it (<see cref="IHubTransactions.RunAsync{T}"/>).</summary>
    private static Task CommitAsync(HubHost hub, Func<IHubTransaction, CancellationToken, Task> work) =>
        hub.Transactions.RunAsync(
            async (transaction, token) =>
            {
                await work(transaction, token);
                return true;
            },
            CancellationToken.None);

    private Task<HubHost> StartAsync() => StartHostAsync(TimeProvider.System, services => services.AddHubStore());

    protected static DossierRecord Dossier(string portalCode) => new()
    {
        PortalCode = portalCode,
        ProcedureCode = "1.010819",
        Channel = Channel.Online,
        ApplicantKind = ApplicantKind.Citizen,
        MaskedApplicantId = "038******262",
        ReceivedAt = ReceivedAt,
        Fingerprint = "f-1",
        Stage = DossierStage.Received,
    };
}

/// <summary>The flows' store on SQLite (two instances: two hosts of one process, sharing its instance lock).</summary>
public sealed class SqliteFlowStoreTests() : FlowStoreTests(new SqliteTestStore());

/// <summary>The flows' store on PostgreSQL.</summary>
public sealed class PostgresFlowStoreTests(PostgresServer postgres, RabbitMqBroker broker) : FlowStoreTests(new PostgresTestStore(postgres, broker))
{
    /// <summary>
    /// Routings each hold their transaction's connection while they take the number in a short
    /// transaction of its own: with more routings at once than the pool has connections, every one of
    /// them still gets its number and commits (none waits for a connection another routing holds).
    /// </summary>
    [Fact]
    public async Task DossierSequence_MoreRoutingsAtOnceThanPooledConnections_EveryOneCommits()
    {
        var settings = ((PostgresTestStore)Store).Settings("Maximum Pool Size=3;Timeout=5");
        await using var instance = await HubHost.StartAsync(settings, TimeProvider.System, services => services.AddHubStore());
        var day = new DateOnly(2025, 4, 29);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            await using var transaction = await instance.Transactions.BeginAsync(CancellationToken.None);
            var number = await instance.Services.GetRequiredService<IDossierSequences>().For(transaction).NextAsync("000.00.00.H26", day, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return number;
        })).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(1, 24).Select(n => (long)n), numbers.Order());
    }

    /// <summary>
    /// Routing finds the dossier by its key however many dossiers wait for routing, in the plan PostgreSQL
    /// keeps for a statement it runs again (a generic plan): it reads no other dossier waiting for routing.
    /// </summary>
    [Fact]
    public async Task RouteUncoded_GenericPlan_FindsTheDossierByItsKeyNotAmongTheUnrouted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var instance = await HubHost.StartAsync(Store.Settings(), TimeProvider.System, services => services.AddHubStore());
        await using (var transaction = await instance.Transactions.BeginAsync(cancellationToken))
        {
            var waiting = Enumerable.Range(1, 300).Select(n => Dossier($"G22.99-250429-{n:D6}")).ToList();
            await instance.Services.GetRequiredService<IDossierRegistry>().TryAddAsync(transaction, waiting, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var statement = PositionalStatements.Rewrite(SqlDossierRegistry.RouteUncoded);
        Assert.NotNull(statement);
        await using var connection = new Npgsql.NpgsqlConnection($"{((PostgresTestStore)Store).ConnectionString};Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using (var prepare = connection.Command($"SET plan_cache_mode = force_generic_plan; PREPARE route_uncoded AS {statement.Text}"))
        {
            await prepare.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var explain = connection.Command($"EXPLAIN EXECUTE route_uncoded({string.Join(", ", statement.Names.Select(_ => "NULL"))})");
        var plan = await explain.ReadListAsync(row => row.GetString(0), cancellationToken);

        Assert.Contains(plan, line => line.Contains("Index Scan using hub_dossiers_pkey", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("city_code_key", StringComparison.Ordinal));
    }

    /// <summary>
    /// The numbers asked for together share a round trip: when it fails, each of those routings fails
    /// with the database's error (to be retried as any step is), and the numbering goes on with the next
    /// asks once the database answers again, with no number handed out twice.
    /// </summary>
    [Fact]
    public async Task DossierSequence_DatabaseRefusesARoundTrip_ItsAskersFailAndTheNextAsksAreNumbered()
    {
        await using var instance = await HubHost.StartAsync(Store.Settings(), TimeProvider.System, services => services.AddHubStore());
        var database = instance.Services.GetRequiredService<IHubDatabase>();
        var sequences = instance.Services.GetRequiredService<IDossierSequences>();
        var day = new DateOnly(2025, 4, 29);
        var first = await AskAsync(4);

        await RenameAsync("hub_dossier_sequences", "hub_dossier_sequences_away");
        var refused = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await Record.ExceptionAsync(() => AskAsync(1))));
        await RenameAsync("hub_dossier_sequences_away", "hub_dossier_sequences");
        var after = await AskAsync(8);

        Assert.All(refused, error => Assert.Contains("hub_dossier_sequences", Assert.IsAssignableFrom<DbException>(error).Message, StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 12).Select(n => (long)n), first.Concat(after).Order());

        async Task<long[]> AskAsync(int count) => await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await using var transaction = await instance.Transactions.BeginAsync(CancellationToken.None);
            var number = await sequences.For(transaction).NextAsync("000.00.00.H26", day, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return number;
        })).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        async Task RenameAsync(string from, string to)
        {
            await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
            await using var rename = connection.CreateCommand();
            rename.CommandText = $"ALTER TABLE {from} RENAME TO {to}";
            await rename.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}
