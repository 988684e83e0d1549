namespace IntegrationHub.Core;

/// <summary>
/// Asia/Ho_Chi_Minh time. Vietnam keeps UTC+07:00 all year (no daylight saving since 1975), so a
/// fixed offset is exact and does not depend on the machine's time-zone database.
/// </summary>
public static class VietnamTime
{
    /// <summary>The offset of Asia/Ho_Chi_Minh from UTC.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>The same instant, shown in Vietnam time.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The calendar date in Vietnam at that instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>A Vietnam wall-clock time on a date, as an instant.</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time) => new(date.ToDateTime(time), Offset);
}
