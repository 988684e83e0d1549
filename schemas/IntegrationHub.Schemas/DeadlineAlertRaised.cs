namespace IntegrationHub.Schemas;

/// <summary>How close to its due date a dossier is.</summary>
public enum DeadlineThreshold
{
    /// <summary>Less than the warning window of working time is left.</summary>
    NearDue,
    /// <summary>The due date has passed.</summary>
    Overdue,
}

/// <summary>Event: a dossier crossed a deadline threshold; raised once per dossier per threshold.</summary>
public sealed record DeadlineAlertRaised
{
    /// <summary>The city dossier code.</summary>
    public required string CityCode { get; init; }

    /// <summary>The portal's dossier code.</summary>
    public required string PortalCode { get; init; }

    /// <summary>The department handling it.</summary>
    public required string DepartmentCode { get; init; }

    /// <summary>Near due or overdue.</summary>
    public required DeadlineThreshold Threshold { get; init; }

    /// <summary>The due date.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When the hub noticed.</summary>
    public required DateTimeOffset RaisedAt { get; init; }
}
