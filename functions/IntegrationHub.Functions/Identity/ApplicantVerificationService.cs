using IntegrationHub.Core;
using IntegrationHub.Core.Flows;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Identity;

/// <summary>
/// The verify step: a citizen applicant's ID must be well formed and match the population database
/// (the lookup is audited like an officer's); a match prefills what the applicant left empty and
/// sends the dossier to routing; anything else refuses it with portal status 3 and the reason.
/// </summary>
internal sealed class ApplicantVerificationService(
    IPopulationRegistry population,
    IIdentityAuditLog audit,
    IdentityVerificationService identity,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<ApplicantVerificationService> logger)
{
    public const string Consumer = "verify-applicant";
    public const string Purpose = "intake-verification";
    public const string IdentityCheckRefused = "IdentityCheckRefused";

    public async Task VerifyAsync(SubmissionReceived submission, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var decision = ApplicantVerification.Precheck(submission.Applicant, VietnamTime.DateOf(now));
        var check = decision.Verdict == VerificationVerdict.AcceptUnchecked
            ? (submission.Applicant.Kind == ApplicantKind.Citizen ? IdentityCheck.OldIdCard : IdentityCheck.NotApplicable)
            : IdentityCheck.Matched;

        if (decision.Verdict == VerificationVerdict.Lookup)
        {
            try
            {
                decision = ApplicantVerification.Decide(submission.Applicant, await LookUpAsync(submission, context.MessageId, cancellationToken));
            }
            catch (GatewayException ex) when (ex.Failure != GatewayFailure.Unavailable)
            {
                await context.DeadLetterAsync(IdentityCheckRefused, $"The population database refused or garbled the check of {submission.PortalCode}: {ex.Message}", cancellationToken);
                return;
            }
        }

        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (!await transaction.TryRecordProcessedAsync(Consumer, context.MessageId, cancellationToken))
        {
            return;
        }

        var stage = decision.Verdict == VerificationVerdict.Reject ? DossierStage.Rejected : DossierStage.Verified;
        var receivedAt = await dossiers.AdvanceStageAsync(transaction, submission.PortalCode, stage, cancellationToken) ?? IntakeService.ReceivedAt(submission, now);

        if (decision.Verdict == VerificationVerdict.Reject)
        {
            var reason = decision.PortalReason!;
            transaction.Send(HubQueues.PortalStatus, FlowMessages.Create($"portal:{submission.PortalCode}:refused", submission.PortalCode, new SyncPortalStatus
            {
                PortalCode = submission.PortalCode,
                Status = DossierStatus.NotAccepted,
                ChangedAt = now,
                Reason = reason,
                Progress = [FlowMessages.HubProgress(reason, DossierStatus.NotAccepted, now)],
            }));
            await dossiers.AppendAsync(transaction, FlowMessages.HubStep(submission.PortalCode, now, reason, DossierStatus.NotAccepted, context.MessageId), cancellationToken);
            Log.ApplicantRefused(logger, submission.PortalCode, decision.Detail);
        }
        else
        {
            transaction.Send(HubQueues.Route, FlowMessages.Create($"route:{submission.PortalCode}", submission.PortalCode, new ApplicantVerified
            {
                Submission = submission with { Applicant = decision.Applicant },
                ReceivedAt = receivedAt,
                IdentityCheck = check,
            }));
            await dossiers.AppendAsync(transaction, FlowMessages.HubStep(submission.PortalCode, now, VerifiedText(check), messageId: context.MessageId), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<IdentityMatch> LookUpAsync(SubmissionReceived submission, string messageId, CancellationToken cancellationToken)
    {
        var applicant = submission.Applicant;
        var lookupId = "idl-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        await audit.RecordLookupAsync(
            new IdentityLookup
            {
                LookupId = lookupId, At = time.GetUtcNow(), Officer = "integrationhub:intake", Unit = PortalTexts.CenterUnit,
                Purpose = $"{Purpose}:{submission.ProcedureCode}", MaskedCitizenId = CitizenId.Mask(applicant.IdNumber), CitizenKey = identity.CitizenKeyOf(applicant.IdNumber),
            },
            cancellationToken);
        try
        {
            var match = await population.VerifyAsync(
                new IdentityQuery(applicant.IdNumber, applicant.Name, applicant.BirthDate!.Value, new CallerInfo("integrationhub:intake", PortalTexts.CenterUnit, Purpose, messageId)),
                ApplicantVerification.PrefillFields,
                cancellationToken);
            await audit.RecordOutcomeAsync(lookupId, IdentityVerificationService.OutcomeName(match.Outcome), fromCache: false, cancellationToken);
            return match;
        }
        catch (GatewayException ex)
        {
            await audit.RecordOutcomeAsync(lookupId, ex.Failure == GatewayFailure.Unavailable ? "unavailable" : "rejected", fromCache: false, CancellationToken.None);
            throw;
        }
    }

    private static string VerifiedText(IdentityCheck check) => check switch
    {
        IdentityCheck.Matched => "Xác thực thông tin định danh của người nộp hồ sơ với Cơ sở dữ liệu quốc gia về dân cư: khớp.",
        IdentityCheck.OldIdCard => "Người nộp hồ sơ dùng chứng minh nhân dân 9 số: cán bộ tiếp nhận kiểm tra định danh.",
        _ => "Người nộp hồ sơ là tổ chức: không tra cứu Cơ sở dữ liệu quốc gia về dân cư.",
    };
}
