using IntegrationHub.Core.Calendar;
using IntegrationHub.Core.Procedures;
using IntegrationHub.Core.Routing;

namespace IntegrationHub.Testing;

/// <summary>The shipped reference data, loaded once.</summary>
public static class ReferenceDataFiles
{
    private static readonly Lazy<ReferenceData> Shipped = new(() => Load(WorkingHours.Default));

    /// <summary>The shipped procedures, routing table and calendar with default working hours.</summary>
    public static ReferenceData Default => Shipped.Value;

    /// <summary>The shipped data with other working hours.</summary>
    public static ReferenceData Load(WorkingHours hours)
    {
        using var procedures = File.OpenRead(RepoPaths.DataFile("procedures.json"));
        using var routing = File.OpenRead(RepoPaths.DataFile("routing.json"));
        using var calendar = File.OpenRead(RepoPaths.DataFile("calendar.json"));
        return ReferenceData.Create(
            ProcedureCatalogue.Load(procedures),
            RoutingTable.Load(routing),
            new WorkingCalendar(CalendarData.Load(calendar), hours));
    }

    /// <summary>A Vietnam wall-clock instant.</summary>
    public static DateTimeOffset Vn(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(7));
}
