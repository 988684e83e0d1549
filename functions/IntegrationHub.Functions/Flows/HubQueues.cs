namespace IntegrationHub.Functions.Flows;

/// <summary>The hub's own queues, in one place. Department queues are named in the routing table.</summary>
internal static class HubQueues
{
    /// <summary>Submissions received from the portal, to be verified (<c>SubmissionReceived</c>).</summary>
    public const string Intake = "intake";

    /// <summary>Verified submissions, to be routed (<c>ApplicantVerified</c>).</summary>
    public const string Route = "route";

    /// <summary>Routed dossiers of departments with a sector system, to be pushed to it (<c>DossierRouted</c>).</summary>
    public const string SectorDelivery = "deliver-sector";

    /// <summary>Status changes to tell the portal (<c>SyncPortalStatus</c>).</summary>
    public const string PortalStatus = "portal-status";

    /// <summary>Deadline alerts, for whoever notifies people (<c>DeadlineAlertRaised</c>).</summary>
    public const string DeadlineAlerts = "deadline-alerts";

    public static readonly string[] All = [Intake, Route, SectorDelivery, PortalStatus, DeadlineAlerts];
}
