using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Timers;

/// <summary>
/// The timer leases in <c>hub_timer_leases</c>: an instance may run a timer's occurrence only while
/// it holds the timer's lease and the occurrence is due; the next occurrence is written as it ends,
/// so that across instances each occurrence runs once (again only if its runner died mid-run). Each
/// run is recorded in <c>hub_timer_runs</c> with the instance that ran it and, kept with every
/// renewal, the end of its lease: no other instance can start the timer before the run finished or,
/// when its instance died, before that lease ran out.
/// </summary>
internal sealed class TimerLeases(IHubStore store, TimeProvider time)
{
    /// <summary>Creates the timer's row, first due one schedule from now; returns when it is next due and when it last ran.</summary>
    public Task<(DateTimeOffset NextRunAt, DateTimeOffset? LastRunAt)> ReadAsync(string name, TimeSpan schedule, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                await using var insert = connection.Command("INSERT INTO hub_timer_leases (name, next_run_at) VALUES (@name, @next) ON CONFLICT (name) DO NOTHING")
                    .Param("@name", name).Param("@next", (time.GetUtcNow() + schedule).Ms());
                await insert.ExecuteNonQueryAsync(token);
                await using var select = connection.Command("SELECT next_run_at, last_run_at FROM hub_timer_leases WHERE name = @name").Param("@name", name);
                var rows = await select.ReadListAsync(reader => (reader.UtcTime("next_run_at"), reader.UtcTimeOrNull("last_run_at")), token);
                return rows[0];
            },
            cancellationToken);

    /// <summary>Takes the lease when the occurrence is due and no other instance holds it; returns the run's id, or null.</summary>
    public Task<long?> TryAcquireAsync(string name, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow();
                var until = (now + leaseDuration).Ms();
                await using var update = connection.Command("""
                    UPDATE hub_timer_leases SET owner = @owner, leased_until = @until
                    WHERE name = @name AND next_run_at <= @now AND (leased_until <= @now OR owner = @owner)
                    """).Param("@name", name).Param("@owner", owner).Param("@until", until).Param("@now", now.Ms());
                if (await update.ExecuteNonQueryAsync(token) != 1)
                {
                    return (long?)null;
                }

                await using var run = connection.Command("""
                    INSERT INTO hub_timer_runs (name, instance, started_at, lease_until) VALUES (@name, @owner, @now, @until) RETURNING id
                    """).Param("@name", name).Param("@owner", owner).Param("@now", now.Ms()).Param("@until", until);
                return (long?)await run.ReadInt64Async(token);
            },
            cancellationToken);

    /// <summary>Extends a held lease; false when it was lost (another instance took it after it expired).</summary>
    public Task<bool> RenewAsync(string name, string owner, long run, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var until = (time.GetUtcNow() + leaseDuration).Ms();
                await using var update = connection.Command("UPDATE hub_timer_leases SET leased_until = @until WHERE name = @name AND owner = @owner")
                    .Param("@name", name).Param("@owner", owner).Param("@until", until);
                if (await update.ExecuteNonQueryAsync(token) != 1)
                {
                    return false;
                }

                await using var record = connection.Command("UPDATE hub_timer_runs SET lease_until = @until WHERE id = @run").Param("@run", run).Param("@until", until);
                await record.ExecuteNonQueryAsync(token);
                return true;
            },
            cancellationToken);

    /// <summary>Records the run's end, sets the next occurrence and gives the lease up.</summary>
    public Task ReleaseAsync(string name, string owner, long run, bool succeeded, DateTimeOffset nextRunAt, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (connection, token) =>
            {
                var now = time.GetUtcNow().Ms();
                await using var update = connection.Command("""
                    UPDATE hub_timer_leases SET owner = NULL, leased_until = 0, next_run_at = @next, last_run_at = @now
                    WHERE name = @name AND owner = @owner
                    """).Param("@name", name).Param("@owner", owner).Param("@next", nextRunAt.Ms()).Param("@now", now);
                var released = await update.ExecuteNonQueryAsync(token);
                await using var finish = connection.Command("UPDATE hub_timer_runs SET finished_at = @now, succeeded = @succeeded WHERE id = @run")
                    .Param("@now", now).Param("@succeeded", succeeded ? 1 : 0).Param("@run", run);
                await finish.ExecuteNonQueryAsync(token);
                return released;
            },
            cancellationToken);
}
