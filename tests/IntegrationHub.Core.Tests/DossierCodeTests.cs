using IntegrationHub.Core.Dossiers;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class DossierCodeTests
{
    private static DossierCodeIssuer CreateSut(IDossierSequence? sequence = null) =>
        new(sequence ?? new InMemoryDossierSequence(), "000.00.00.H26");

    [Fact]
    public async Task IssueAsync_FirstOfTheDay_IsAgencyDateAndSequence()
    {
        var code = await CreateSut().IssueAsync(Vn(2025, 4, 12, 9), CancellationToken.None);

        Assert.Equal("000.00.00.H26-250412-0001", code.ToString());
    }

    [Fact]
    public async Task IssueAsync_NextDay_RestartsTheSequence()
    {
        var sut = CreateSut();
        await sut.IssueAsync(Vn(2025, 4, 12, 9), CancellationToken.None);
        await sut.IssueAsync(Vn(2025, 4, 12, 10), CancellationToken.None);

        var next = await sut.IssueAsync(Vn(2025, 4, 13, 9), CancellationToken.None);

        Assert.Equal("000.00.00.H26-250413-0001", next.ToString());
    }

    [Fact]
    public async Task IssueAsync_DatedByVietnamTime_NotUtc()
    {
        // 23:30 UTC on 11 April is 06:30 on 12 April in Hanoi.
        var code = await CreateSut().IssueAsync(new DateTimeOffset(2025, 4, 11, 23, 30, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal(new DateOnly(2025, 4, 12), code.Day);
    }

    [Fact]
    public void Format_PastTenThousand_KeepsAllDigits()
    {
        Assert.Equal("000.00.00.H26-250412-12345", new DossierCode("000.00.00.H26", new DateOnly(2025, 4, 12), 12345).ToString());
    }

    [Theory]
    [InlineData("H26")]
    [InlineData("000.00.00.h26")]
    [InlineData("")]
    public void Constructor_MalformedAgencyCode_IsRefusedNamingIt(string agency)
    {
        var error = Assert.Throws<ArgumentException>(() => new DossierCodeIssuer(new InMemoryDossierSequence(), agency));

        Assert.Contains($"'{agency}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("000.00.00.H26-250412-0001", true)]
    [InlineData("000.00.00.H26-251332-0001", false)]
    [InlineData("000.00.00.H26-250412-01", false)]
    [InlineData("G22.99-241205-000123", false)]
    public void TryParse_Text_AcceptsOnlyCityCodes(string text, bool valid)
    {
        Assert.Equal(valid, DossierCode.TryParse(text, out var code));
        if (valid)
        {
            Assert.Equal(text, code.ToString());
        }
    }
}
