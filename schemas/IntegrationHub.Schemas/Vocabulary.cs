namespace IntegrationHub.Schemas;

/// <summary>
/// Dossier status, numbered as the National Public Service Portal's <c>TrangThaiHoSo</c> codes.
/// </summary>
public enum DossierStatus
{
    /// <summary>1: newly registered (submitted, not yet received by the city).</summary>
    NewlyRegistered = 1,
    /// <summary>2: accepted (received) by the city.</summary>
    Accepted = 2,
    /// <summary>3: not accepted; the applicant is told why.</summary>
    NotAccepted = 3,
    /// <summary>4: in processing at the competent department.</summary>
    InProcessing = 4,
    /// <summary>5: supplementary documents requested (at most once per dossier; the clock pauses).</summary>
    SupplementRequested = 5,
    /// <summary>6: payment of fees or taxes requested.</summary>
    PaymentRequested = 6,
    /// <summary>7: withdrawn by the applicant.</summary>
    Withdrawn = 7,
    /// <summary>8: processing stopped.</summary>
    ProcessingStopped = 8,
    /// <summary>9: processing finished; the result is ready.</summary>
    ProcessingFinished = 9,
    /// <summary>10: result returned to the applicant.</summary>
    ResultReturned = 10,
}

/// <summary>How a dossier was submitted (the portal's <c>KenhThucHien</c>).</summary>
public enum Channel
{
    /// <summary>1: at a branch counter.</summary>
    InPerson = 1,
    /// <summary>2: online, through the portal.</summary>
    Online = 2,
    /// <summary>3: through the public postal service.</summary>
    PublicPostal = 3,
}

/// <summary>Who the applicant is (the portal's <c>LoaiDoiTuong</c>).</summary>
public enum ApplicantKind
{
    /// <summary>1: a citizen.</summary>
    Citizen = 1,
    /// <summary>2: a business.</summary>
    Business = 2,
    /// <summary>3: a state agency.</summary>
    StateAgency = 3,
    /// <summary>4: any other organisation.</summary>
    Other = 4,
}

/// <summary>Sex as recorded in the National Population Database.</summary>
public enum Sex
{
    /// <summary>Male.</summary>
    Male,
    /// <summary>Female.</summary>
    Female,
}

/// <summary>How a procedure's resolution time is counted.</summary>
public enum ResolutionKind
{
    /// <summary>Working days: weekends, public holidays and out-of-hours time do not count.</summary>
    WorkingDays,
    /// <summary>Calendar days: every day counts, but the due date never lands on a day off.</summary>
    CalendarDays,
}
