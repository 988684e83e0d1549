using IntegrationHub.Core;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Identity;

/// <summary>
/// The verify step: a citizen applicant's ID must be well formed and match the population database
/// (the lookup is audited like an officer's); a match prefills what the applicant left empty and
/// sends the dossier to routing; anything else refuses it with portal status 3 and the reason. A
/// database that refuses or garbles the check refuses the submission for an operator to look at.
/// </summary>
internal sealed class ApplicantVerificationService(
    AuditedLookups lookups,
    IdempotentStep step,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<ApplicantVerificationService> logger)
{
    public const string Consumer = "verify-applicant";
    public const string Purpose = "intake-verification";
    public const string IdentityCheckRefused = "IdentityCheckRefused";
    private const string IntakeAccount = "integrationhub:intake";

    /// <summary>
    /// Verifies the applicant of the submission carried by message <paramref name="messageId"/>, whose
    /// dossier was received at <paramref name="receivedAt"/> when the message says so (else it is read).
    /// The lookup's outcome commits with the step's effect; where the step does not commit (it had taken
    /// effect before, or failed), it is recorded by itself.
    /// </summary>
    public async Task<StepOutcome> VerifyAsync(SubmissionReceived submission, string messageId, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var precheck = ApplicantVerification.Precheck(submission.Applicant, VietnamTime.DateOf(time.GetUtcNow()));
        IdentityLookupOutcome? unrecorded = null;
        try
        {
            return await step.RunAsync(
                Consumer,
                messageId,
                async token =>
                {
                    if (precheck.Verdict != VerificationVerdict.Lookup)
                    {
                        return precheck;
                    }

                    var answered = await LookUpAsync(submission, messageId, token);
                    unrecorded = answered.Outcome;
                    return ApplicantVerification.Decide(submission.Applicant, answered.Match);
                },
                ex => StepOutcome.Refused(IdentityCheckRefused, $"The population database refused or garbled the check of {submission.PortalCode}: {ex.Message}"),
                async (transaction, decision, token) =>
                {
                    if (unrecorded is { } answer)
                    {
                        await lookups.RecordOutcomeAsync(transaction, answer, token);
                    }

                    await RecordAsync(transaction, submission, receivedAt, decision, CheckOf(submission, precheck), messageId, token);
                },
                decision =>
                {
                    unrecorded = null;
                    if (decision.Verdict == VerificationVerdict.Reject)
                    {
                        Log.ApplicantRefused(logger, submission.PortalCode, decision.Detail);
                    }
                },
                cancellationToken);
        }
        finally
        {
            // The step did not commit the answer's outcome (it had taken effect before, or it failed): by itself.
            if (unrecorded is { } left)
            {
                await lookups.RecordOutcomeAsync(left, CancellationToken.None);
            }
        }
    }

    private async Task RecordAsync(IHubTransaction transaction, SubmissionReceived submission, DateTimeOffset? received, VerificationDecision decision, IdentityCheck check, string messageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refused = decision.Verdict == VerificationVerdict.Reject;
        var stage = refused ? DossierStage.Rejected : DossierStage.Verified;
        DateTimeOffset receivedAt;
        if (received is { } known)
        {
            await dossiers.SetStageAsync(transaction, submission.PortalCode, stage, cancellationToken);
            receivedAt = known;
        }
        else
        {
            receivedAt = await dossiers.AdvanceStageAsync(transaction, submission.PortalCode, stage, cancellationToken) ?? Receipt.ReceivedAt(submission, now);
        }

        if (refused)
        {
            transaction.Send(HubQueues.PortalStatus, PortalStatusChanges.Refused(submission.PortalCode, decision.PortalReason!, now));
            await dossiers.AppendAsync(transaction, FlowMessages.HubStep(submission.PortalCode, now, decision.PortalReason!, DossierStatus.NotAccepted, messageId), cancellationToken);
            return;
        }

        transaction.Send(HubQueues.Route, FlowMessages.Create($"route:{submission.PortalCode}", submission.PortalCode, new ApplicantVerified
        {
            Submission = submission with { Applicant = decision.Applicant },
            ReceivedAt = receivedAt,
            IdentityCheck = check,
        }));
        await dossiers.AppendAsync(transaction, FlowMessages.HubStep(submission.PortalCode, now, HubTexts.Verified(check), messageId: messageId), cancellationToken);
    }

    private Task<AnsweredLookup> LookUpAsync(SubmissionReceived submission, string messageId, CancellationToken cancellationToken)
    {
        var applicant = submission.Applicant;
        var lookup = lookups.Start(applicant.IdNumber, IntakeAccount, HubTexts.CenterUnit, $"{Purpose}:{submission.ProcedureCode}");
        var query = new IdentityQuery(applicant.IdNumber, applicant.Name, applicant.BirthDate!.Value, new CallerInfo(IntakeAccount, HubTexts.CenterUnit, Purpose, messageId));
        return lookups.AnswerAsync(lookup, query, ApplicantVerification.PrefillFields, cancellationToken);
    }

    /// <summary>How the identity was checked: matched against the database, or accepted unchecked and why.</summary>
    private static IdentityCheck CheckOf(SubmissionReceived submission, VerificationDecision precheck) =>
        precheck.Verdict != VerificationVerdict.AcceptUnchecked ? IdentityCheck.Matched
        : submission.Applicant.Kind == ApplicantKind.Citizen ? IdentityCheck.OldIdCard
        : IdentityCheck.NotApplicable;
}
