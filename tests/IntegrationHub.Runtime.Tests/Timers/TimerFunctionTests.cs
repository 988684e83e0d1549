using System.Collections.Concurrent;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Timers;

/// <summary>Timer functions run on their schedule, on one hub instance at a time, on either store.</summary>
[Trait("Category", "Unit")]
public abstract class TimerFunctionTests(ITestStore store) : TestsOnAStore(store)
{
    private static readonly TimeSpan Schedule = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 3, 3, 1, 0, 0, TimeSpan.Zero));
    private readonly TimerLog log = new();

    [Fact]
    public async Task Timer_TwoHostsOnOneDatabase_EachOccurrenceRunsOnce()
    {
        await StartAsync();
        await StartAsync();
        await WaitForTimerRowAsync();

        clock.Advance(Schedule);
        await WaitUntilAsync(() => Task.FromResult(log.Runs.Count == 1), TimeSpan.FromSeconds(15), "the first occurrence");
        await WaitForReleaseAsync();
        clock.Advance(Schedule);
        await WaitUntilAsync(() => Task.FromResult(log.Runs.Count == 2), TimeSpan.FromSeconds(15), "the second occurrence");
        await WaitForReleaseAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        var afterBoth = log.Runs.Count;

        Assert.Equal(2, afterBoth);
        Assert.Equal([clock.GetUtcNow() - TimeSpan.FromSeconds(30) - Schedule, clock.GetUtcNow() - TimeSpan.FromSeconds(30)], log.Runs.Select(r => r.ScheduledAt));
        Assert.Null(log.Runs.First().LastRunAt);
        Assert.NotNull(log.Runs.Last().LastRunAt);
    }

    [Fact]
    public async Task Timer_TwoHostsOnOneDatabase_EachRunIsRecordedWithItsInstanceAndNoneOverlaps()
    {
        await StartAsync();
        await StartAsync();
        await WaitForTimerRowAsync();

        for (var occurrence = 1; occurrence <= 3; occurrence++)
        {
            clock.Advance(Schedule);
            await WaitUntilAsync(() => Task.FromResult(log.Runs.Count == occurrence), TimeSpan.FromSeconds(15), $"occurrence {occurrence}");
            await WaitForReleaseAsync();
        }

        var runs = await ReadRunsAsync();
        var instances = Hosts.Select(h => h.Services.GetRequiredService<HubInstance>().Id).ToList();

        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Contains(r.Instance, instances));
        Assert.All(runs, r => Assert.True(r.FinishedAt is not null && r.Succeeded == 1, $"run {r.Id} did not finish"));
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.True(pair.Second.StartedAt >= pair.First.FinishedAt, $"run {pair.Second.Id} started before run {pair.First.Id} finished"));
    }

    [Fact]
    public async Task Timer_FunctionThrows_RunsAgainAtTheNextOccurrence()
    {
        log.Fail = true;
        await StartAsync();
        await WaitForTimerRowAsync();

        clock.Advance(Schedule);
        await WaitUntilAsync(() => Task.FromResult(log.Runs.Count == 1), TimeSpan.FromSeconds(15), "the failing occurrence");
        await WaitForReleaseAsync();
        clock.Advance(Schedule);
        await WaitUntilAsync(() => Task.FromResult(log.Runs.Count == 2), TimeSpan.FromSeconds(15), "the next occurrence");
    }

    private async Task<List<(long Id, string Instance, long StartedAt, long? FinishedAt, long? Succeeded)>> ReadRunsAsync()
    {
        await using var connection = await Hosts[0].Database.OpenAsync(CancellationToken.None);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, instance, started_at, finished_at, succeeded FROM hub_timer_runs WHERE name = 'FindDueDossiersOnTimer' ORDER BY started_at, id";
        await using var reader = await select.ExecuteReaderAsync();
        var runs = new List<(long, string, long, long?, long?)>();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return runs;
    }

    private async Task StartAsync() => await StartHostAsync(clock, services => services
        .AddSingleton(log)
        .AddTimerFunction<FindDueDossiersOnTimer>("FindDueDossiersOnTimer", Schedule));

    private async Task WaitForTimerRowAsync() =>
        await WaitUntilAsync(async () => await Hosts[0].ScalarAsync("SELECT COUNT(*) FROM hub_timer_leases") == 1, TimeSpan.FromSeconds(15), "the timer's row");

    private async Task WaitForReleaseAsync() =>
        await WaitUntilAsync(async () => await Hosts[0].ScalarAsync("SELECT COUNT(*) FROM hub_timer_leases WHERE owner IS NULL") == 1, TimeSpan.FromSeconds(15), "the lease to be given up");

    public sealed class TimerLog
    {
        public ConcurrentQueue<TimerFunctionContext> Runs { get; } = new();

        public bool Fail { get; set; }
    }

    public sealed class FindDueDossiersOnTimer(TimerLog log) : ITimerFunction
    {
        public Task RunAsync(TimerFunctionContext context, CancellationToken cancellationToken)
        {
            log.Runs.Enqueue(context);
            return log.Fail ? throw new InvalidOperationException("The dossier store is unreachable.") : Task.CompletedTask;
        }
    }
}

/// <summary>The timer tests on the SQLite store: two hosts in one process share the file's instance lock.</summary>
public sealed class SqliteTimerFunctionTests() : TimerFunctionTests(new SqliteTestStore());

/// <summary>The timer tests on the PostgreSQL store, where the instances are separate processes in production.</summary>
public sealed class PostgresTimerFunctionTests(PostgresServer postgres, RabbitMqBroker broker)
    : TimerFunctionTests(new PostgresTestStore(postgres, broker));
