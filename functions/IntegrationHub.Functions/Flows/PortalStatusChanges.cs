namespace IntegrationHub.Functions.Flows;

/// <summary>
/// The status changes the hub tells the portal (<c>SyncPortalStatus</c> on <c>portal-status</c>),
/// built in one place: a refusal (3), an acceptance (2) and a department's report, each with the
/// progress record that explains it and a message id that makes a resend harmless.
/// </summary>
internal static class PortalStatusChanges
{
    /// <summary>The portal is told status 3 (not accepted) with the reason the applicant reads.</summary>
    public static OutgoingMessage Refused(string portalCode, string reason, DateTimeOffset now) =>
        Message($"portal:{portalCode}:refused", new SyncPortalStatus
        {
            PortalCode = portalCode,
            Status = DossierStatus.NotAccepted,
            ChangedAt = now,
            Reason = reason,
            Progress = [FlowMessages.HubProgress(reason, DossierStatus.NotAccepted, now)],
        });

    /// <summary>The portal is told status 2 (accepted) with the city code, the department and the due date.</summary>
    public static OutgoingMessage Accepted(string portalCode, string cityCode, string departmentName, DateTimeOffset dueAt, DateTimeOffset now) =>
        Message($"portal:{portalCode}:accepted", new SyncPortalStatus
        {
            CityCode = cityCode,
            PortalCode = portalCode,
            Status = DossierStatus.Accepted,
            ChangedAt = now,
            DueAt = dueAt,
            Progress = [FlowMessages.HubProgress(HubTexts.Accepted(departmentName), DossierStatus.Accepted, now, dueAt)],
        });

    /// <summary>
    /// The portal is told a department's change with the officer's progress record. The portal's status
    /// follows the order in which the hub recorded the changes (<paramref name="now"/>), whatever time a
    /// department's clock put on them; the officer's time (<paramref name="at"/>) stays on the record.
    /// </summary>
    public static OutgoingMessage Reported(string portalCode, string cityCode, DepartmentStatusReport report, DateTimeOffset at, DateTimeOffset dueAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var action = HubTexts.WithReason(report.Action, report.Reason);
        return Message(ReportedId(portalCode, report.ReportId), new SyncPortalStatus
        {
            CityCode = cityCode,
            PortalCode = portalCode,
            Status = report.Status,
            ChangedAt = now,
            DueAt = dueAt,
            Reason = report.Reason,
            Progress = [new ProgressRecord { Actor = report.Officer.Name, Title = report.Officer.Title, Unit = report.Unit, Action = action, Status = report.Status, At = at, DueAt = dueAt }],
        });
    }

    /// <summary>The message id of a department's report to the portal, which its timeline step carries too.</summary>
    public static string ReportedId(string portalCode, string reportId) => $"portal:{portalCode}:report:{reportId}";

    private static OutgoingMessage Message(string messageId, SyncPortalStatus change) => FlowMessages.Create(messageId, change.PortalCode, change);
}
