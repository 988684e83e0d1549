using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions;

/// <summary>
/// Builds and starts the host, then runs it until it is stopped. A setting the host refuses at start
/// stops it there with one line per bad setting on standard error, each naming the setting's full
/// key and why, and exit code 1: what an operator needs, not a stack dump.
/// </summary>
internal static class HubStartup
{
    /// <summary>
    /// Whether the hub is the program that runs (not hosted by another one, as a test's application
    /// factory hosts it: there the failure is that program's to see, and is thrown).
    /// </summary>
    private static bool RunsAsItsOwnProgram => System.Reflection.Assembly.GetEntryAssembly() == typeof(HubStartup).Assembly;

    public static async Task<int> RunAsync(WebApplicationBuilder builder, Action<WebApplication> configure, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(error);
        WebApplication? app = null;
        try
        {
            app = builder.Build();

            // Every validated setting is checked here, all together, before anything starts (or logs
            // the failure with a stack trace, as the host does when a service it starts cannot be made).
            app.Services.GetService<IStartupValidator>()?.Validate();
            configure(app);
            await app.StartAsync();
        }
        catch (Exception ex) when (RunsAsItsOwnProgram && StartRefusal.Lines(ex) is { } lines)
        {
            foreach (var line in lines)
            {
                await error.WriteLineAsync($"IntegrationHub cannot start: {line}");
            }

            if (app is not null)
            {
                await app.DisposeAsync();
            }

            return 1;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }
}
