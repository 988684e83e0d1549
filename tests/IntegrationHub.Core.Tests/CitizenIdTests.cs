using IntegrationHub.Core.Identity;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class CitizenIdTests
{
    [Theory]
    [InlineData("001090012345", 1990, Sex.Male)]    // Hà Nội, 1900s male
    [InlineData("079301234567", 2001, Sex.Female)]  // Hồ Chí Minh, 2000s female
    [InlineData("048185000001", 1985, Sex.Female)]  // Đà Nẵng, 1900s female
    public void Check_WellFormedPersonalId_IsAccepted(string id, int birthYear, Sex sex)
    {
        var check = CitizenId.Check(id, new DateOnly(birthYear, 6, 1), sex);

        Assert.True(check.IsValid, check.Reason);
        Assert.Equal(CitizenIdKind.PersonalId, check.Kind);
    }

    [Fact]
    public void Check_NineDigits_IsRecognisedAsAnOldIdCard()
    {
        var check = CitizenId.Check("012345678");

        Assert.True(check.IsValid);
        Assert.Equal(CitizenIdKind.OldIdCard, check.Kind);
    }

    [Theory]
    [InlineData("", CitizenIdRejection.Missing, "No identity number")]
    [InlineData("00109001234A", CitizenIdRejection.NotDigits, "only digits")]
    [InlineData("00109001234", CitizenIdRejection.WrongLength, "has 11")]
    [InlineData("003090012345", CitizenIdRejection.UnknownProvince, "'003'")]
    public void Check_MalformedNumber_IsRefusedWithItsReason(string id, CitizenIdRejection rejection, string reasonPart)
    {
        var check = CitizenId.Check(id);

        Assert.False(check.IsValid);
        Assert.Equal(rejection, check.Rejection);
        Assert.Contains(reasonPart, check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BirthYearDisagreesWithTheCenturyDigits_IsRefused()
    {
        // "0" + "90" encodes 1990; born 2090 would need century digit 2.
        var check = CitizenId.Check("001090012345", new DateOnly(1991, 1, 1));

        Assert.Equal(CitizenIdRejection.BirthYearMismatch, check.Rejection);
        Assert.Contains("1990", check.Reason, StringComparison.Ordinal);
        Assert.Contains("1991", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SexDisagreesWithTheCenturyDigit_IsRefused()
    {
        var check = CitizenId.Check("001090012345", sex: Sex.Female);

        Assert.Equal(CitizenIdRejection.SexMismatch, check.Rejection);
        Assert.Contains("male", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EncodedBirthYearInTheFuture_IsRefused()
    {
        // Century digit 4 is the 2100s.
        var check = CitizenId.Check("001405012345", today: new DateOnly(2026, 11, 21));

        Assert.Equal(CitizenIdRejection.BirthYearInFuture, check.Rejection);
        Assert.Contains("2105", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001090012345", "001******345")]
    [InlineData("012345678", "012***678")]
    [InlineData("12345", "*****")]
    [InlineData(null, "")]
    public void Mask_Number_KeepsOnlyTheFirstAndLastThreeDigits(string? id, string masked)
    {
        Assert.Equal(masked, CitizenId.Mask(id));
    }
}
