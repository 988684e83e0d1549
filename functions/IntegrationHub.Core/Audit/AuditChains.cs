namespace IntegrationHub.Core.Audit;

/// <summary>
/// The hash chains of the hub's three accountability logs: one chain per log, each ordered by the
/// sealer that gives every committed entry its position.
/// </summary>
public static class AuditChains
{
    /// <summary>The dossier timelines: every step of every dossier.</summary>
    public const string Timeline = "timeline";

    /// <summary>The identity-lookup log: who looked at a citizen's data, why, and what came of it.</summary>
    public const string Identity = "identity";

    /// <summary>The operator audit log: who replayed, edited or stopped what, and why.</summary>
    public const string Operator = "operator";

    /// <summary>Every chain, in the order the verifier reports them (also the order in a checkpoint).</summary>
    public static IReadOnlyList<string> All { get; } = [Identity, Operator, Timeline];

    /// <summary>The log a chain holds, in words.</summary>
    public static string LogOf(string chain) => chain switch
    {
        Timeline => "dossier timelines",
        Identity => "identity-lookup log",
        Operator => "operator audit log",
        _ => chain,
    };
}

/// <summary>The kinds of entry, each with its fields in a fixed order (see <see cref="AuditEntries"/>).</summary>
public static class AuditEntryKinds
{
    /// <summary>A step on a dossier's timeline.</summary>
    public const string TimelineStep = "timeline.step";

    /// <summary>An identity lookup, recorded before the population database is asked (or with its outcome, from the cache).</summary>
    public const string IdentityLookup = "identity.lookup";

    /// <summary>What came of an identity lookup, recorded after the answer.</summary>
    public const string IdentityOutcome = "identity.outcome";

    /// <summary>An operator's action.</summary>
    public const string OperatorAction = "operator.action";
}
