using IntegrationHub.Core.Flows;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Tests;

[Trait("Category", "Unit")]
public sealed class ApplicantVerificationTests
{
    private static readonly DateOnly Today = new(2025, 1, 6);

    private static Applicant Citizen(string id = "001190012345", DateOnly? born = null, Sex? sex = Sex.Female) => new()
    {
        Kind = ApplicantKind.Citizen, Name = "Nguyễn Thị Minh Anh", IdNumber = id, BirthDate = born ?? new DateOnly(1990, 3, 14), Sex = sex,
    };

    [Fact]
    public void Precheck_WellFormedCitizen_AsksThePopulationDatabase()
    {
        Assert.Equal(VerificationVerdict.Lookup, ApplicantVerification.Precheck(Citizen(), Today).Verdict);
    }

    [Fact]
    public void Precheck_MalformedCitizenId_IsRefusedWithAPortalReasonInVietnamese()
    {
        var decision = ApplicantVerification.Precheck(Citizen(id: "00119001234"), Today);

        Assert.Equal(VerificationVerdict.Reject, decision.Verdict);
        Assert.Contains("12 chữ số", decision.PortalReason, StringComparison.Ordinal);
        Assert.Contains("has 11", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Precheck_Business_IsAcceptedWithoutALookup()
    {
        var business = new Applicant { Kind = ApplicantKind.Business, Name = "Công ty TNHH Sông Hồng", IdNumber = "0109876543" };

        Assert.Equal(VerificationVerdict.AcceptUnchecked, ApplicantVerification.Precheck(business, Today).Verdict);
    }

    [Fact]
    public void Decide_Mismatch_IsRefusedNamingTheFieldsInVietnamese()
    {
        var decision = ApplicantVerification.Decide(Citizen(), new IdentityMatch(IdentityOutcome.Mismatch, [IdentityField.BirthDate], null));

        Assert.Equal(VerificationVerdict.Reject, decision.Verdict);
        Assert.Contains("ngày sinh", decision.PortalReason, StringComparison.Ordinal);
        Assert.DoesNotContain("001190012345", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Match_FillsOnlyWhatTheApplicantLeftEmpty()
    {
        var applicant = Citizen(sex: null) with { Address = "Số 1 Tràng Tiền" };
        var prefill = new IdentityPrefill { Sex = Sex.Female, PermanentAddress = "Số 12 Trần Duy Hưng" };

        var decision = ApplicantVerification.Decide(applicant, new IdentityMatch(IdentityOutcome.Match, [], prefill));

        Assert.Equal(VerificationVerdict.Accept, decision.Verdict);
        Assert.Equal(Sex.Female, decision.Applicant.Sex);
        Assert.Equal("Số 1 Tràng Tiền", decision.Applicant.Address);
    }
}
