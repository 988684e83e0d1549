namespace IntegrationHub.Schemas;

/// <summary>
/// Command: tell the portal a dossier's status changed, with the progress records that explain
/// it. The portal connector inserts the dossier, or updates it when the portal already has it.
/// </summary>
public sealed record SyncPortalStatus
{
    /// <summary>The city dossier code; absent when the dossier was refused before a code was issued.</summary>
    public string? CityCode { get; init; }

    /// <summary>The portal's dossier code.</summary>
    public required string PortalCode { get; init; }

    /// <summary>The status to show on the portal.</summary>
    public required DossierStatus Status { get; init; }

    /// <summary>When the status changed.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>The due date after this change (moved by a supplement pause), if one is set.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Why, for a refusal, a stop or a supplement request.</summary>
    public string? Reason { get; init; }

    /// <summary>The progress records to add to the portal's history, oldest first.</summary>
    public required IReadOnlyList<ProgressRecord> Progress { get; init; }
}

/// <summary>One step of a dossier's history as the portal shows it (<c>QuaTrinhXuLy</c>).</summary>
public sealed record ProgressRecord
{
    /// <summary>Who: the officer's name, or the system that acted.</summary>
    public required string Actor { get; init; }

    /// <summary>The officer's title, when a person acted.</summary>
    public string? Title { get; init; }

    /// <summary>The unit that acted.</summary>
    public required string Unit { get; init; }

    /// <summary>What was done.</summary>
    public required string Action { get; init; }

    /// <summary>The status after this step.</summary>
    public required DossierStatus Status { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>When this step's own deadline falls, where the rules give one.</summary>
    public DateTimeOffset? DueAt { get; init; }
}
