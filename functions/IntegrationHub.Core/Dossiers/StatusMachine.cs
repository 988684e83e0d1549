using System.Collections.Frozen;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Dossiers;

/// <summary>
/// The portal's status codes as a state machine: which change may follow which. Refused,
/// withdrawn, stopped and returned dossiers are final.
/// </summary>
public static class StatusMachine
{
    private static readonly FrozenDictionary<DossierStatus, FrozenSet<DossierStatus>> Allowed =
        new Dictionary<DossierStatus, FrozenSet<DossierStatus>>
        {
            [DossierStatus.NewlyRegistered] = Set(DossierStatus.Accepted, DossierStatus.NotAccepted, DossierStatus.Withdrawn),
            [DossierStatus.Accepted] = Set(
                DossierStatus.InProcessing, DossierStatus.SupplementRequested, DossierStatus.PaymentRequested,
                DossierStatus.ProcessingFinished, DossierStatus.ProcessingStopped, DossierStatus.Withdrawn),
            [DossierStatus.InProcessing] = Set(
                DossierStatus.SupplementRequested, DossierStatus.PaymentRequested, DossierStatus.ProcessingFinished,
                DossierStatus.ProcessingStopped, DossierStatus.Withdrawn),
            // Supplementary documents received: processing resumes; none received: processing stops.
            [DossierStatus.SupplementRequested] = Set(DossierStatus.InProcessing, DossierStatus.ProcessingStopped, DossierStatus.Withdrawn),
            [DossierStatus.PaymentRequested] = Set(
                DossierStatus.InProcessing, DossierStatus.ProcessingFinished, DossierStatus.ProcessingStopped, DossierStatus.Withdrawn),
            [DossierStatus.ProcessingFinished] = Set(DossierStatus.ResultReturned),
            [DossierStatus.NotAccepted] = Set(),
            [DossierStatus.Withdrawn] = Set(),
            [DossierStatus.ProcessingStopped] = Set(),
            [DossierStatus.ResultReturned] = Set(),
        }.ToFrozenDictionary();

    /// <summary>Whether <paramref name="to"/> may follow <paramref name="from"/>.</summary>
    public static bool IsAllowed(DossierStatus from, DossierStatus to) =>
        Allowed.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>The statuses that may follow <paramref name="from"/>.</summary>
    public static IReadOnlyCollection<DossierStatus> Next(DossierStatus from) =>
        Allowed.TryGetValue(from, out var next) ? next : FrozenSet<DossierStatus>.Empty;

    /// <summary>Whether nothing may follow the status.</summary>
    public static bool IsFinal(DossierStatus status) => Next(status).Count == 0;

    private static FrozenSet<DossierStatus> Set(params DossierStatus[] statuses) => statuses.ToFrozenSet();
}

/// <summary>A status change the state machine forbids, naming both states.</summary>
public sealed class StatusTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception for a change the state machine does not allow.</summary>
    public StatusTransitionException(DossierStatus from, DossierStatus to)
        : this(from, to, $"A dossier cannot go from {Describe(from)} to {Describe(to)}.", secondSupplementRequest: false)
    {
    }

    private StatusTransitionException(DossierStatus from, DossierStatus to, string message, bool secondSupplementRequest)
        : base(message)
    {
        From = from;
        To = to;
        IsSecondSupplementRequest = secondSupplementRequest;
    }

    /// <summary>The current status.</summary>
    public DossierStatus From { get; }

    /// <summary>The refused status.</summary>
    public DossierStatus To { get; }

    /// <summary>Whether the change was refused because supplementary documents were already requested once.</summary>
    public bool IsSecondSupplementRequest { get; }

    /// <summary>The exception for a second supplement request, which the rules forbid.</summary>
    public static StatusTransitionException SecondSupplementRequest(DossierStatus from) => new(
        from,
        DossierStatus.SupplementRequested,
        $"Supplementary documents were already requested once for this dossier; a second request (from {Describe(from)} to {Describe(DossierStatus.SupplementRequested)}) is not allowed.",
        secondSupplementRequest: true);

    /// <summary>A status as code and name, e.g. "5 (supplementRequested)".</summary>
    public static string Describe(DossierStatus status) =>
        $"{(int)status} ({System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString())})";
}
