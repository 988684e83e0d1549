using System.Collections.Concurrent;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Runtime.Tests.Conformance.Messages;

namespace IntegrationHub.Runtime.Tests.Timers;

/// <summary>Timer functions run on their schedule, on one hub instance at a time.</summary>
[Trait("Category", "Unit")]
public sealed class TimerFunctionTests : IAsyncLifetime
{
    private static readonly TimeSpan Schedule = TimeSpan.FromMinutes(5);

    private readonly string folder = Directory.CreateTempSubdirectory("hub-timers-").FullName;
    private readonly ManualTimeProvider clock = new(new DateTimeOffset(2025, 3, 3, 1, 0, 0, TimeSpan.Zero));
    private readonly TimerLog log = new();
    private readonly List<HubHost> hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        Directory.Delete(folder, recursive: true);
    }

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

    private async Task StartAsync()
    {
        var settings = new Dictionary<string, string?> { ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db") };
        hosts.Add(await HubHost.StartAsync(settings, clock, services => services
            .AddSingleton(log)
            .AddTimerFunction<FindDueDossiersOnTimer>("FindDueDossiersOnTimer", Schedule)));
    }

    private async Task WaitForTimerRowAsync() =>
        await WaitUntilAsync(async () => await hosts[0].ScalarAsync("SELECT COUNT(*) FROM hub_timer_leases") == 1, TimeSpan.FromSeconds(15), "the timer's row");

    private async Task WaitForReleaseAsync() =>
        await WaitUntilAsync(async () => await hosts[0].ScalarAsync("SELECT COUNT(*) FROM hub_timer_leases WHERE owner IS NULL") == 1, TimeSpan.FromSeconds(15), "the lease to be given up");

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
