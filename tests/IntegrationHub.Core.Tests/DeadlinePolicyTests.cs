using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Flows;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class DeadlinePolicyTests
{
    private static readonly TimeSpan OneWorkingDay = TimeSpan.FromHours(8);

    private static DossierProgress Due(DateTimeOffset dueAt, DossierStatus status = DossierStatus.InProcessing) => new()
    {
        Status = status, DueAt = dueAt, Resolution = new ResolutionTime { Days = 5, Kind = ResolutionKind.WorkingDays },
    };

    [Theory]
    [InlineData(8, 0, DeadlineState.OnTrack)]   // Thursday 08:00: 9 h of working time left
    [InlineData(16, 0, DeadlineState.NearDue)]  // Thursday 16:00: 1 h Thursday + 2 h Friday left
    public void Evaluate_DueFridayAt9_DependsOnTheWorkingTimeLeft(int hour, int minute, DeadlineState expected)
    {
        var state = DeadlinePolicy.Evaluate(Due(Vn(2024, 12, 13, 9)), Vn(2024, 12, 12, hour, minute), ReferenceDataFiles.Default.Calendar, OneWorkingDay);

        Assert.Equal(expected, state);
    }

    [Fact]
    public void Evaluate_AcrossAWeekend_CountsOnlyWorkingTime()
    {
        // Friday 16:00, due Monday 09:00: 1 h Friday + 2 h Monday of working time left.
        var state = DeadlinePolicy.Evaluate(Due(Vn(2024, 12, 16, 9)), Vn(2024, 12, 13, 16), ReferenceDataFiles.Default.Calendar, OneWorkingDay);

        Assert.Equal(DeadlineState.NearDue, state);
    }

    [Fact]
    public void Evaluate_PastDue_IsOverdue()
    {
        Assert.Equal(DeadlineState.Overdue, DeadlinePolicy.Evaluate(Due(Vn(2024, 12, 13, 9)), Vn(2024, 12, 13, 9, 1), ReferenceDataFiles.Default.Calendar, OneWorkingDay));
    }

    [Fact]
    public void Evaluate_PausedForSupplements_IsNotWatched()
    {
        var paused = Due(Vn(2024, 12, 13, 9), DossierStatus.SupplementRequested) with { PausedAt = Vn(2024, 12, 10, 9) };

        Assert.Equal(DeadlineState.OnTrack, DeadlinePolicy.Evaluate(paused, Vn(2024, 12, 20, 9), ReferenceDataFiles.Default.Calendar, OneWorkingDay));
    }

    [Theory]
    [InlineData(DossierStatus.ProcessingFinished)]
    [InlineData(DossierStatus.ResultReturned)]
    [InlineData(DossierStatus.Withdrawn)]
    public void Evaluate_FinishedOrFinal_IsNotWatched(DossierStatus status)
    {
        Assert.Equal(DeadlineState.OnTrack, DeadlinePolicy.Evaluate(Due(Vn(2024, 12, 13, 9), status), Vn(2024, 12, 20, 9), ReferenceDataFiles.Default.Calendar, OneWorkingDay));
    }
}
