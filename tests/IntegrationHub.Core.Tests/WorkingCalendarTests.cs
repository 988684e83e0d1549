using IntegrationHub.Core.Calendar;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class WorkingCalendarTests
{
    private static readonly ResolutionTime ThreeWorkingDays = new() { Days = 3, Kind = ResolutionKind.WorkingDays };

    private static WorkingCalendar CreateSut() => ReferenceDataFiles.Default.Calendar;

    [Fact]
    public void DueDate_ReceivedBeforeThe2025ReunificationBreak_IsDueAfterTheBreak()
    {
        // 29 Apr 15:00–17:00 counts 2 h; 30 Apr – 4 May is off; 5 and 6 May count 8 h each; 6 h more on 7 May.
        var due = CreateSut().DueDate(Vn(2025, 4, 29, 15), ThreeWorkingDays);

        Assert.Equal(Vn(2025, 5, 7, 15), due);
    }

    [Fact]
    public void DueDate_SwappedSaturday_CountsAsAWorkingDay()
    {
        // Saturday 26 Apr 2025 was worked in place of Friday 2 May.
        var due = CreateSut().DueDate(Vn(2025, 4, 25, 16), new ResolutionTime { Days = 1, Kind = ResolutionKind.WorkingDays });

        Assert.Equal(Vn(2025, 4, 26, 16), due);
    }

    [Fact]
    public void DueDate_ReceivedAfterClosing_StartsTheNextWorkingMorning()
    {
        // Friday 6 Dec 2024 at 18:00: counting starts Monday 9 Dec at 07:00.
        var due = CreateSut().DueDate(Vn(2024, 12, 6, 18), new ResolutionTime { Days = 1, Kind = ResolutionKind.WorkingDays });

        Assert.Equal(Vn(2024, 12, 9, 17), due);
    }

    [Theory]
    [InlineData(12, 0, 13, 30)] // lunch break: counting starts at 13:30
    [InlineData(6, 15, 7, 0)]   // before opening
    [InlineData(9, 40, 9, 40)]  // during working hours: at once
    [InlineData(11, 30, 13, 30)] // at the closing of the morning period
    public void StartOfCount_OutsideWorkingHours_MovesToTheNextOpening(int hour, int minute, int startHour, int startMinute)
    {
        var start = CreateSut().StartOfCount(Vn(2024, 12, 10, hour, minute));

        Assert.Equal(Vn(2024, 12, 10, startHour, startMinute), start);
    }

    [Fact]
    public void DueDate_AcrossTet2026_SkipsTheNineDayBreak()
    {
        // Friday 13 Feb 10:00 counts 5 h; 14–22 Feb is off; Monday 23 Feb counts 8 h; 3 h more on 24 Feb.
        var due = CreateSut().DueDate(Vn(2026, 2, 13, 10), new ResolutionTime { Days = 2, Kind = ResolutionKind.WorkingDays });

        Assert.Equal(Vn(2026, 2, 24, 10), due);
    }

    [Fact]
    public void DueDate_CalendarDaysLandingOnADayOff_MovesToTheNextWorkingDay()
    {
        // 2 Jan 2025 + 30 days is Saturday 1 Feb, inside Tết week; Monday 3 Feb is the next working day.
        var due = CreateSut().DueDate(Vn(2025, 1, 2, 9), new ResolutionTime { Days = 30, Kind = ResolutionKind.CalendarDays });

        Assert.Equal(Vn(2025, 2, 3, 9), due);
        Assert.True(CreateSut().IsWorkingDay(DateOnly.FromDateTime(due.DateTime)));
    }

    [Fact]
    public void ExtendForPause_TwoWorkingDaysPaused_MovesTheDueDateByTwoWorkingDays()
    {
        var sut = CreateSut();
        var due = sut.DueDate(Vn(2024, 12, 2, 9), new ResolutionTime { Days = 5, Kind = ResolutionKind.WorkingDays });

        // Paused Wednesday 4 Dec 10:00, resumed Friday 6 Dec 10:00: 16 h of working time.
        var moved = sut.ExtendForPause(due, Vn(2024, 12, 4, 10), Vn(2024, 12, 6, 10), ResolutionKind.WorkingDays);

        Assert.Equal(Vn(2024, 12, 9, 9), due);
        Assert.Equal(Vn(2024, 12, 11, 9), moved);
    }

    [Fact]
    public void ExtendForPause_PausedOverAWeekend_MovesOnlyByTheWorkingTime()
    {
        var sut = CreateSut();
        var due = Vn(2024, 12, 20, 9);

        // Paused Friday 13 Dec 16:00, resumed Monday 16 Dec 08:00: 1 h Friday + 1 h Monday.
        var moved = sut.ExtendForPause(due, Vn(2024, 12, 13, 16), Vn(2024, 12, 16, 8), ResolutionKind.WorkingDays);

        Assert.Equal(Vn(2024, 12, 20, 11), moved);
    }

    [Fact]
    public void IsWorkingDay_YearWithoutData_NamesTheMissingYear()
    {
        var error = Assert.Throws<CalendarNotCoveredException>(() => CreateSut().IsWorkingDay(new DateOnly(2028, 3, 1)));

        Assert.Equal(2028, error.Year);
        Assert.Contains("2028", error.Message, StringComparison.Ordinal);
        Assert.Contains("calendar.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2024, 5, 4, true)]   // Saturday worked for the 29 Apr swap
    [InlineData(2024, 4, 29, false)] // Monday swapped off
    [InlineData(2025, 9, 1, false)]  // National Day, adjacent day
    [InlineData(2026, 4, 27, false)] // Hùng Kings' day taken on Monday
    [InlineData(2026, 11, 21, false)] // an ordinary Saturday
    [InlineData(2026, 11, 23, true)] // an ordinary Monday
    public void IsWorkingDay_PublishedSchedules_AreFollowed(int year, int month, int day, bool working)
    {
        Assert.Equal(working, CreateSut().IsWorkingDay(new DateOnly(year, month, day)));
    }

    [Fact]
    public void CalendarData_Shipped_Covers2024To2027WithASourceForEachYear()
    {
        var sut = CreateSut();

        Assert.Equal(2024, sut.FirstYear);
        Assert.Equal(2027, sut.LastYear);
        for (var year = 2024; year <= 2027; year++)
        {
            var data = sut.YearData(year);
            Assert.NotNull(data);
            Assert.False(string.IsNullOrWhiteSpace(data.Source));
            Assert.All(data.DaysOff, d => Assert.True(d.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{d.Date} is a weekend day listed as a day off"));
            Assert.True(data.DaysOff.Count >= 10, $"{year} lists only {data.DaysOff.Count} days off; the Labour Code gives 11 days of holidays.");
        }
    }

    [Fact]
    public void CalendarData_WorkingWeekendOnAWeekday_IsRefusedNamingTheDate()
    {
        const string json = """{ "years": [ { "year": 2030, "status": "projected", "source": "test", "daysOff": [], "workingWeekends": [ { "date": "2030-01-02", "name": "x" } ] } ] }""";

        var error = Assert.Throws<InvalidDataException>(() => CalendarData.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains("2030-01-02", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DueDate_ConfiguredWorkingHours_AreUsed()
    {
        var sut = ReferenceDataFiles.Load(WorkingHours.Parse("08:00-12:00,13:00-17:00")).Calendar;

        // Received Monday 9 Dec 2024 at 07:30, before the configured opening: one day is 08:00 → 17:00.
        var due = sut.DueDate(Vn(2024, 12, 9, 7, 30), new ResolutionTime { Days = 1, Kind = ResolutionKind.WorkingDays });

        Assert.Equal(Vn(2024, 12, 9, 17), due);
    }

    [Theory]
    [InlineData("07:00-11:30,11:00-17:00")]
    [InlineData("17:00-07:00")]
    [InlineData("7-11")]
    public void WorkingHoursParse_BadPeriods_AreRefused(string text)
    {
        Assert.Throws<FormatException>(() => WorkingHours.Parse(text));
    }
}
