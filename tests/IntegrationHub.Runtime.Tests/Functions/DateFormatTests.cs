using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Runtime.Tests.Functions;

/// <summary>The <c>date</c> format as the catalogue checks it.</summary>
public sealed class DateFormatTests
{
    [Theory]
    [InlineData("1992-03-18", true)]
    [InlineData("2024-02-29", true)]
    [InlineData("2025-02-29", false)]
    [InlineData("2025-13-01", false)]
    [InlineData("2025-04-31", false)]
    [InlineData("0000-01-01", false)]
    [InlineData("1992-3-18", false)]
    [InlineData("1992/03/18", false)]
    [InlineData("1992-03-18T00:00:00", false)]
    [InlineData("１９９２-03-18", false)]
    public void IsFullDate_Text_AcceptedOnlyForADayOfTheCalendar(string text, bool expected) =>
        Assert.Equal(expected, DateFormat.IsFullDate(text));
}
