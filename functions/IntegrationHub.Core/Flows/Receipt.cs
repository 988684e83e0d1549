using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Flows;

/// <summary>When the city received a dossier, the instant its resolution time counts from.</summary>
public static class Receipt
{
    /// <summary>
    /// The portal's submission time (after hours it starts the next working morning), unless it lies in
    /// the future: a slow or stopped hub never shortens anyone's time.
    /// </summary>
    public static DateTimeOffset ReceivedAt(SubmissionReceived submission, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return submission.SubmittedAt <= now ? submission.SubmittedAt : now;
    }
}
