using System.Globalization;
using IntegrationHub.Core;

namespace IntegrationHub.Connectors.Wire;

/// <summary>
/// Dates as the national systems write them: <c>yyyyMMddHHmmss</c> (instants) and <c>yyyyMMdd</c>
/// (days), in Asia/Ho_Chi_Minh time.
/// </summary>
internal static class WireTime
{
    public const string InstantFormat = "yyyyMMddHHmmss";
    public const string DayFormat = "yyyyMMdd";

    public static string Format(DateTimeOffset instant) =>
        VietnamTime.ToLocal(instant).ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static string Format(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null || !DateTime.TryParseExact(text, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        instant = new DateTimeOffset(local, VietnamTime.Offset);
        return true;
    }

    public static bool TryParseDay(string? text, out DateOnly day)
    {
        day = default;
        return text is not null && DateOnly.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
