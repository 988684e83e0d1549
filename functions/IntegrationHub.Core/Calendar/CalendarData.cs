using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Calendar;

/// <summary>
/// The public-holiday calendar as data (<c>data/calendar.json</c>): for each year, the weekdays
/// that are off and the weekend days that are worked (swapped days). It is maintained each year
/// from the government's published schedule.
/// </summary>
public sealed record CalendarData
{
    /// <summary>Notes for the people who maintain the file.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The years covered.</summary>
    public required IReadOnlyList<CalendarYear> Years { get; init; }

    /// <summary>Reads calendar data from JSON.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or a year is inconsistent.</exception>
    public static CalendarData Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        CalendarData? data;
        try
        {
            data = JsonSerializer.Deserialize<CalendarData>(json, DataJson.Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The calendar data is not valid: {ex.Message}", ex);
        }

        if (data is null || data.Years.Count == 0)
        {
            throw new InvalidDataException("The calendar data has no years.");
        }

        foreach (var year in data.Years)
        {
            year.Validate();
        }

        var duplicate = data.Years.GroupBy(y => y.Year).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"The calendar data lists the year {duplicate.Key} twice.");
        }

        return data;
    }
}

/// <summary>One year of the calendar.</summary>
public sealed record CalendarYear
{
    /// <summary>The year.</summary>
    public required int Year { get; init; }

    /// <summary>Where the schedule comes from.</summary>
    public required string Source { get; init; }

    /// <summary>Whether the schedule is the government's published one or a projection from the law.</summary>
    public required CalendarYearStatus Status { get; init; }

    /// <summary>Days off that would otherwise be working days (holidays, substitutes, swapped days).</summary>
    public required IReadOnlyList<CalendarDay> DaysOff { get; init; }

    /// <summary>Weekend days that are worked to make up for a swapped day.</summary>
    public IReadOnlyList<CalendarDay> WorkingWeekends { get; init; } = [];

    internal void Validate()
    {
        foreach (var day in DaysOff.Concat(WorkingWeekends))
        {
            if (day.Date.Year != Year)
            {
                throw new InvalidDataException($"Calendar year {Year} lists {day.Date:yyyy-MM-dd} ({day.Name}), which is in another year.");
            }
        }

        foreach (var day in WorkingWeekends)
        {
            if (day.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                throw new InvalidDataException($"Calendar year {Year} lists {day.Date:yyyy-MM-dd} ({day.Name}) as a working weekend day, but it is a {day.Date.DayOfWeek}.");
            }
        }
    }
}

/// <summary>Whether a year's schedule is final.</summary>
public enum CalendarYearStatus
{
    /// <summary>The government's published schedule.</summary>
    Published,
    /// <summary>Projected from the Labour Code until the government publishes the year's schedule.</summary>
    Projected,
}

/// <summary>A dated entry of the calendar.</summary>
/// <param name="Date">The date.</param>
/// <param name="Name">What it is, e.g. "Tết Nguyên đán".</param>
public sealed record CalendarDay(DateOnly Date, string Name);

/// <summary>JSON settings for the reference data files: camelCase, enums as strings, strict.</summary>
internal static class DataJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
