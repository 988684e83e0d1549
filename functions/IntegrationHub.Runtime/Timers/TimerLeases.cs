using IntegrationHub.Runtime.Store;

namespace IntegrationHub.Runtime.Timers;

/// <summary>
/// The timer leases in <c>hub_timer_leases</c>: an instance may run a timer's occurrence only while
/// it holds the timer's lease and the occurrence is due; the next occurrence is written as it ends,
/// so that across instances each occurrence runs once (again only if its runner died mid-run).
/// </summary>
internal sealed class TimerLeases(HubWriter writer, TimeProvider time)
{
    /// <summary>Creates the timer's row, first due one schedule from now; returns when it is next due and when it last ran.</summary>
    public Task<(DateTimeOffset NextRunAt, DateTimeOffset? LastRunAt)> ReadAsync(string name, TimeSpan schedule, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            using var insert = connection.Command("INSERT INTO hub_timer_leases (name, next_run_at) VALUES ($name, $next) ON CONFLICT (name) DO NOTHING;")
                .With("$name", name).With("$next", (time.GetUtcNow() + schedule).ToUnixMs());
            insert.ExecuteNonQuery();
            using var select = connection.Command("SELECT next_run_at, last_run_at FROM hub_timer_leases WHERE name = $name;").With("$name", name);
            using var reader = select.ExecuteReader();
            reader.Read();
            return (SqliteExtensions.FromUnixMs(reader.GetInt64(0)), reader.IsDBNull(1) ? (DateTimeOffset?)null : SqliteExtensions.FromUnixMs(reader.GetInt64(1)));
        }, cancellationToken);

    /// <summary>Takes the lease when the occurrence is due and no other instance holds it.</summary>
    public Task<bool> TryAcquireAsync(string name, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            var now = time.GetUtcNow();
            using var update = connection.Command("""
                UPDATE hub_timer_leases SET owner = $owner, leased_until = $until
                WHERE name = $name AND next_run_at <= $now AND (leased_until <= $now OR owner = $owner);
                """).With("$name", name).With("$owner", owner).With("$until", (now + leaseDuration).ToUnixMs()).With("$now", now.ToUnixMs());
            return update.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>Extends a held lease; false when it was lost (another instance took it after it expired).</summary>
    public Task<bool> RenewAsync(string name, string owner, TimeSpan leaseDuration, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            using var update = connection.Command("UPDATE hub_timer_leases SET leased_until = $until WHERE name = $name AND owner = $owner;")
                .With("$name", name).With("$owner", owner).With("$until", (time.GetUtcNow() + leaseDuration).ToUnixMs());
            return update.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>Records the run, sets the next occurrence and gives the lease up.</summary>
    public Task ReleaseAsync(string name, string owner, DateTimeOffset nextRunAt, CancellationToken cancellationToken) =>
        writer.RunAsync(connection =>
        {
            using var update = connection.Command("""
                UPDATE hub_timer_leases SET owner = NULL, leased_until = 0, next_run_at = $next, last_run_at = $now
                WHERE name = $name AND owner = $owner;
                """).With("$name", name).With("$owner", owner).With("$next", nextRunAt.ToUnixMs()).With("$now", time.GetUtcNow().ToUnixMs());
            return update.ExecuteNonQuery();
        }, cancellationToken);
}
