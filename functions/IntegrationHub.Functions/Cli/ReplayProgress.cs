using System.Text.Json.Nodes;
using Spectre.Console;

namespace IntegrationHub.Functions.Cli;

/// <summary>Follows a replay job until it stops: a progress bar on a terminal, a line per change otherwise.</summary>
internal static class ReplayProgress
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The job as it stands when it is no longer running.</summary>
    public static async Task<JsonObject> FollowAsync(OpsApiClient api, string id, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            var last = -1;
            while (true)
            {
                var job = await ReadAsync(api, id, cancellationToken);
                var done = Done(job);
                if (done != last)
                {
                    console.WriteLine($"{done} of {job["total"]} tried");
                    last = done;
                }

                if ((string?)job["status"] != "running")
                {
                    return job;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }

        JsonObject? final = null;
        await console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask($"replaying {Markup.Escape(id)}");
                while (final is null)
                {
                    var job = await ReadAsync(api, id, cancellationToken);
                    bar.MaxValue = Math.Max(1, (int)job["total"]!);
                    bar.Value = Done(job);
                    if ((string?)job["status"] != "running")
                    {
                        final = job;
                        break;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                }
            });
        return final!;
    }

    private static async Task<JsonObject> ReadAsync(OpsApiClient api, string id, CancellationToken cancellationToken) =>
        (await api.CallAsync((ops, ct) => ops.ReadReplayAsync(id, 1, ct), cancellationToken))["job"]!.AsObject();

    private static int Done(JsonObject job) => (int)job["replayed"]! + (int)job["notFound"]! + (int)job["failed"]!;
}
