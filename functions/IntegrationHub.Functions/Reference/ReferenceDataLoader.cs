using IntegrationHub.Core.Calendar;
using IntegrationHub.Core.Procedures;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Reference;

/// <summary>Reads and checks the three reference data files as one snapshot.</summary>
internal static class ReferenceDataLoader
{
    public static ReferenceData Load(ReferenceDataOptions options)
    {
        try
        {
            using var procedures = File.OpenRead(Path.Combine(options.Directory, "procedures.json"));
            using var routing = File.OpenRead(Path.Combine(options.Directory, "routing.json"));
            using var calendar = File.OpenRead(Path.Combine(options.Directory, "calendar.json"));
            return ReferenceData.Create(
                ProcedureCatalogue.Load(procedures),
                RoutingTable.Load(routing),
                new WorkingCalendar(CalendarData.Load(calendar), WorkingHours.Parse(options.WorkingHours)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidDataException($"The reference data in '{options.Directory}' cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reference data loaded at start (a bad file stops the host, naming the file and the problem)
    /// and reloaded when a file in the folder changes (a bad change is logged and ignored).
    /// </summary>
    public static IServiceCollection AddReferenceData(this IServiceCollection services)
    {
        services.AddOptions<ReferenceDataOptions>().BindConfiguration(ReferenceDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var data = Load(sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value);
            WarnWhenCalendarEndsSoon(data, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ReferenceDataWatcher>>());
            return new Reloadable<ReferenceData>(data);
        });
        services.AddHostedService<ReferenceDataWatcher>();
        return services;
    }

    internal static void WarnWhenCalendarEndsSoon(ReferenceData data, TimeProvider time, ILogger logger)
    {
        // Due dates of long procedures reach about two months ahead.
        var horizon = Core.VietnamTime.DateOf(time.GetUtcNow().AddDays(60));
        if (data.Calendar.LastYear < horizon.Year)
        {
            Log.CalendarEndingSoon(logger, data.Calendar.LastYear);
        }
    }
}

/// <summary>Watches the reference data folder and swaps in a new snapshot when its files change and are valid.</summary>
internal sealed class ReferenceDataWatcher(
    Reloadable<ReferenceData> data,
    IOptions<ReferenceDataOptions> options,
    TimeProvider time,
    ILogger<ReferenceDataWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = options.Value.Directory;
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(directory, "*.json")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler onChange = (_, _) => changed.Release();
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Renamed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;

        Log(data.Current);
        while (!stoppingToken.IsCancellationRequested)
        {
            await changed.WaitAsync(stoppingToken);

            // Editors write a file in several steps: wait until the folder is quiet, then read once.
            await Task.Delay(Settle, time, stoppingToken);
            while (changed.CurrentCount > 0)
            {
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(stoppingToken);
                }

                await Task.Delay(Settle, time, stoppingToken);
            }

            Reload(directory);
        }
    }

    private void Reload(string directory)
    {
        try
        {
            var next = ReferenceDataLoader.Load(options.Value);
            data.Replace(next);
            Log(next);
            ReferenceDataLoader.WarnWhenCalendarEndsSoon(next, time, logger);
        }
        catch (InvalidDataException ex)
        {
            Functions.Log.ReferenceDataRejected(logger, directory, ex);
        }
    }

    private void Log(ReferenceData snapshot) => Functions.Log.ReferenceDataLoaded(
        logger,
        snapshot.Procedures.All.Count,
        string.Join(", ", snapshot.Routing.Versions.Select(v => v.Version)),
        snapshot.Calendar.FirstYear,
        snapshot.Calendar.LastYear);
}
