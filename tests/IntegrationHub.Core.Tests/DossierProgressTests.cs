using IntegrationHub.Core.Dossiers;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class DossierProgressTests
{
    private static readonly ResolutionTime FiveWorkingDays = new() { Days = 5, Kind = ResolutionKind.WorkingDays };

    private static DossierProgress CreateSut() =>
        DossierProgress.Accepted(Vn(2024, 12, 2, 9), FiveWorkingDays, ReferenceDataFiles.Default.Calendar);

    [Fact]
    public void Apply_SecondSupplementRequest_IsRefused()
    {
        var calendar = ReferenceDataFiles.Default.Calendar;
        var progress = CreateSut()
            .Apply(DossierStatus.InProcessing, Vn(2024, 12, 2, 10), calendar)
            .Apply(DossierStatus.SupplementRequested, Vn(2024, 12, 3, 10), calendar)
            .Apply(DossierStatus.InProcessing, Vn(2024, 12, 4, 10), calendar);

        var error = Assert.Throws<StatusTransitionException>(() => progress.Apply(DossierStatus.SupplementRequested, Vn(2024, 12, 5, 10), calendar));

        Assert.True(error.IsSecondSupplementRequest);
        Assert.Contains("already requested once", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 (inProcessing)", error.Message, StringComparison.Ordinal);
        Assert.Contains("5 (supplementRequested)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SupplementRequestedThenResumed_MovesTheDueDateByThePausedWorkingTime()
    {
        var calendar = ReferenceDataFiles.Default.Calendar;
        var accepted = CreateSut();

        var resumed = accepted
            .Apply(DossierStatus.InProcessing, Vn(2024, 12, 2, 10), calendar)
            .Apply(DossierStatus.SupplementRequested, Vn(2024, 12, 4, 10), calendar)
            .Apply(DossierStatus.InProcessing, Vn(2024, 12, 6, 10), calendar);

        Assert.Equal(Vn(2024, 12, 9, 9), accepted.DueAt);
        Assert.Equal(Vn(2024, 12, 11, 9), resumed.DueAt);
        Assert.Null(resumed.PausedAt);
        Assert.True(resumed.SupplementRequested);
    }

    [Fact]
    public void Apply_WhileSupplementRequested_KeepsTheClockPaused()
    {
        var calendar = ReferenceDataFiles.Default.Calendar;

        var paused = CreateSut().Apply(DossierStatus.SupplementRequested, Vn(2024, 12, 4, 10), calendar);

        Assert.Equal(Vn(2024, 12, 4, 10), paused.PausedAt);
        Assert.Equal(CreateSut().DueAt, paused.DueAt);
    }

    [Fact]
    public void Apply_ForbiddenTransition_NamesBothStates()
    {
        var calendar = ReferenceDataFiles.Default.Calendar;
        var returned = CreateSut()
            .Apply(DossierStatus.ProcessingFinished, Vn(2024, 12, 3, 9), calendar)
            .Apply(DossierStatus.ResultReturned, Vn(2024, 12, 3, 10), calendar);

        var error = Assert.Throws<StatusTransitionException>(() => returned.Apply(DossierStatus.InProcessing, Vn(2024, 12, 4, 9), calendar));

        Assert.False(error.IsSecondSupplementRequest);
        Assert.Equal(DossierStatus.ResultReturned, error.From);
        Assert.Equal(DossierStatus.InProcessing, error.To);
        Assert.Contains("10 (resultReturned)", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 (inProcessing)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DossierStatus.NotAccepted)]
    [InlineData(DossierStatus.Withdrawn)]
    [InlineData(DossierStatus.ProcessingStopped)]
    [InlineData(DossierStatus.ResultReturned)]
    public void IsFinal_RefusedWithdrawnStoppedReturned_AllowNothingMore(DossierStatus status)
    {
        Assert.True(StatusMachine.IsFinal(status));
        Assert.All(Enum.GetValues<DossierStatus>(), next => Assert.False(StatusMachine.IsAllowed(status, next)));
    }

    [Theory]
    [InlineData(DossierStatus.NewlyRegistered, DossierStatus.Accepted, true)]
    [InlineData(DossierStatus.NewlyRegistered, DossierStatus.InProcessing, false)]
    [InlineData(DossierStatus.Accepted, DossierStatus.InProcessing, true)]
    [InlineData(DossierStatus.SupplementRequested, DossierStatus.ProcessingFinished, false)]
    [InlineData(DossierStatus.PaymentRequested, DossierStatus.InProcessing, true)]
    [InlineData(DossierStatus.ProcessingFinished, DossierStatus.ResultReturned, true)]
    [InlineData(DossierStatus.ProcessingFinished, DossierStatus.InProcessing, false)]
    public void IsAllowed_PortalStatusCodes_FollowTheStateMachine(DossierStatus from, DossierStatus to, bool allowed)
    {
        Assert.Equal(allowed, StatusMachine.IsAllowed(from, to));
    }
}
