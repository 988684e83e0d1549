using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Flows;

/// <summary>What the verify step decides about an applicant.</summary>
public enum VerificationVerdict
{
    /// <summary>Ask the population database.</summary>
    Lookup,
    /// <summary>Accept without a lookup (organisations; old ID cards, which the database cannot match).</summary>
    AcceptUnchecked,
    /// <summary>Accept: the identity matched.</summary>
    Accept,
    /// <summary>Refuse: the portal is told status 3 with <see cref="VerificationDecision.PortalReason"/>.</summary>
    Reject,
}

/// <summary>A verification decision, with the words the applicant reads on the portal when refused.</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="Applicant">The applicant, prefilled from the population database on a match.</param>
/// <param name="PortalReason">Why, in Vietnamese, for the portal and the applicant.</param>
/// <param name="Detail">Why, in English, for the timeline and operators (no personal data).</param>
public sealed record VerificationDecision(VerificationVerdict Verdict, Applicant Applicant, string? PortalReason, string Detail);

/// <summary>
/// The rules of the verify step: a citizen's ID must be well formed and agree with the population
/// database; what the database knows fills what the applicant left empty.
/// </summary>
public static class ApplicantVerification
{
    /// <summary>The fields the verify step may prefill.</summary>
    public static readonly IReadOnlySet<PrefillField> PrefillFields = new HashSet<PrefillField> { PrefillField.Sex, PrefillField.PermanentAddress };

    /// <summary>The decision before any lookup.</summary>
    public static VerificationDecision Precheck(Applicant applicant, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        if (applicant.Kind != ApplicantKind.Citizen)
        {
            return new(VerificationVerdict.AcceptUnchecked, applicant, null, "The applicant is an organisation; no population lookup.");
        }

        var check = CitizenId.Check(applicant.IdNumber, applicant.BirthDate, applicant.Sex, today);
        if (!check.IsValid)
        {
            return new(VerificationVerdict.Reject, applicant, HubTexts.CitizenIdRefused(check.Rejection!.Value), $"Citizen ID refused: {check.Reason}");
        }

        if (check.Kind == CitizenIdKind.OldIdCard)
        {
            return new(VerificationVerdict.AcceptUnchecked, applicant, null, "Old 9-digit ID card: the population database matches 12-digit personal IDs only; not verified automatically.");
        }

        if (applicant.BirthDate is null)
        {
            return new(VerificationVerdict.Reject, applicant, HubTexts.MissingBirthDate, "Citizen applicant without a birth date: identity cannot be verified.");
        }

        return new(VerificationVerdict.Lookup, applicant, null, "Identity to be verified against the population database.");
    }

    /// <summary>The decision once the population database answered.</summary>
    public static VerificationDecision Decide(Applicant applicant, IdentityMatch match)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        ArgumentNullException.ThrowIfNull(match);
        return match.Outcome switch
        {
            IdentityOutcome.Match => new(VerificationVerdict.Accept, Prefill(applicant, match.Prefill), null, "Identity matches the population database."),
            IdentityOutcome.Mismatch => new(
                VerificationVerdict.Reject,
                applicant,
                HubTexts.IdentityMismatch(match.MismatchedFields),
                $"Identity does not match the population database: {string.Join(", ", match.MismatchedFields)} differ."),
            _ => new(
                VerificationVerdict.Reject,
                applicant,
                HubTexts.CitizenNotFound,
                "The citizen ID is not in the population database."),
        };
    }

    private static Applicant Prefill(Applicant applicant, IdentityPrefill? prefill) => prefill is null ? applicant : applicant with
    {
        Sex = applicant.Sex ?? prefill.Sex,
        Address = string.IsNullOrWhiteSpace(applicant.Address) ? prefill.PermanentAddress : applicant.Address,
    };
}
