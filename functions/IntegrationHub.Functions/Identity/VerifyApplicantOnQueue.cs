using IntegrationHub.Runtime.Functions;

namespace IntegrationHub.Functions.Identity;

/// <summary>Verifies the applicant of each submission received (queue <c>intake</c>).</summary>
internal sealed class VerifyApplicantOnQueue(ApplicantVerificationService verification) : IQueueFunction<SubmissionReceived>
{
    public async Task RunAsync(SubmissionReceived message, QueueFunctionContext context, CancellationToken cancellationToken) =>
        await context.SettleAsync(await verification.VerifyAsync(message, context.MessageId, FlowMessages.ReceivedAt(context.ApplicationProperties), cancellationToken), cancellationToken);
}
