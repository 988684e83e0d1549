namespace IntegrationHub.Core.Calendar;

/// <summary>A period of the working day, in Vietnam wall-clock time.</summary>
/// <param name="Start">When the period opens.</param>
/// <param name="End">When it closes.</param>
public readonly record struct WorkingPeriod(TimeOnly Start, TimeOnly End)
{
    /// <summary>The length of the period.</summary>
    public TimeSpan Length => End - Start;
}

/// <summary>
/// The periods of a working day. The default is the practice of Vietnamese one-stop units:
/// 07:00–11:30 and 13:30–17:00 (eight hours).
/// </summary>
public sealed class WorkingHours
{
    /// <summary>07:00–11:30 and 13:30–17:00.</summary>
    public static WorkingHours Default { get; } = new(
    [
        new WorkingPeriod(new TimeOnly(7, 0), new TimeOnly(11, 30)),
        new WorkingPeriod(new TimeOnly(13, 30), new TimeOnly(17, 0)),
    ]);

    /// <summary>Creates working hours from ordered, non-overlapping periods.</summary>
    /// <exception cref="ArgumentException">The periods are empty, empty-length, unordered or overlap.</exception>
    public WorkingHours(IReadOnlyList<WorkingPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (periods.Count == 0)
        {
            throw new ArgumentException("Working hours need at least one period.", nameof(periods));
        }

        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].End <= periods[i].Start)
            {
                throw new ArgumentException($"Working period {periods[i].Start:HH\\:mm}–{periods[i].End:HH\\:mm} ends before it starts.", nameof(periods));
            }

            if (i > 0 && periods[i].Start < periods[i - 1].End)
            {
                throw new ArgumentException($"Working period starting {periods[i].Start:HH\\:mm} overlaps or precedes the one before it.", nameof(periods));
            }
        }

        Periods = periods;
        DayLength = TimeSpan.FromTicks(periods.Sum(p => p.Length.Ticks));
    }

    /// <summary>The periods, in order.</summary>
    public IReadOnlyList<WorkingPeriod> Periods { get; }

    /// <summary>Working time in one working day; a working day of resolution time is this long.</summary>
    public TimeSpan DayLength { get; }

    /// <summary>When the working day opens.</summary>
    public TimeOnly Opening => Periods[0].Start;

    /// <summary>
    /// Parses <c>"07:00-11:30,13:30-17:00"</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not a list of <c>HH:mm-HH:mm</c> periods.</exception>
    public static WorkingHours Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var periods = new List<WorkingPeriod>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length != 2
                || !TimeOnly.TryParseExact(bounds[0], "HH:mm", out var start)
                || !TimeOnly.TryParseExact(bounds[1], "HH:mm", out var end))
            {
                throw new FormatException($"'{part}' is not a working period of the form HH:mm-HH:mm.");
            }

            periods.Add(new WorkingPeriod(start, end));
        }

        try
        {
            return new WorkingHours(periods);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(",", Periods.Select(p => $"{p.Start:HH\\:mm}-{p.End:HH\\:mm}"));
}
