using System.Globalization;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Operations;
using IntegrationHub.Core.Store;

namespace IntegrationHub.Core.Audit;

/// <summary>
/// Each log's entries in their canonical form: which fields the chain covers, in which order. These
/// lists are part of the documented format (docs/audit.md): changing one is a new
/// format version. None of them holds personal data beyond a masked ID or a keyed hash.
/// </summary>
public static class AuditEntries
{
    /// <summary>A timeline step, keyed by its row id: portalCode, at, actor, unit, action, status, messageId.</summary>
    public static AuditEntry Of(long id, TimelineEvent step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new AuditEntry(AuditEntryKinds.TimelineStep, Key(id),
        [
            new("portalCode", AuditValue.Of(step.PortalCode)),
            new("at", AuditValue.Of(step.At)),
            new("actor", AuditValue.Of(step.Actor)),
            new("unit", AuditValue.Of(step.Unit)),
            new("action", AuditValue.Of(step.Action)),
            new("status", AuditValue.Of(step.Status is { } status ? (long)status : null)),
            new("messageId", AuditValue.Of(step.MessageId)),
        ]);
    }

    /// <summary>
    /// An identity lookup, keyed by its lookup id: at, officer, unit, purpose, maskedCitizenId,
    /// citizenKey, outcome (only when written with the lookup, from the cache), fromCache.
    /// </summary>
    public static AuditEntry Of(IdentityLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new AuditEntry(AuditEntryKinds.IdentityLookup, lookup.LookupId,
        [
            new("at", AuditValue.Of(lookup.At)),
            new("officer", AuditValue.Of(lookup.Officer)),
            new("unit", AuditValue.Of(lookup.Unit)),
            new("purpose", AuditValue.Of(lookup.Purpose)),
            new("maskedCitizenId", AuditValue.Of(lookup.MaskedCitizenId)),
            new("citizenKey", AuditValue.Of(lookup.CitizenKey)),
            new("outcome", AuditValue.Of(lookup.Outcome)),
            new("fromCache", AuditValue.Of(lookup.FromCache)),
        ]);
    }

    /// <summary>A lookup's outcome, keyed by its row id: lookupId, at, outcome, fromCache.</summary>
    public static AuditEntry Of(long id, IdentityLookupOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new AuditEntry(AuditEntryKinds.IdentityOutcome, Key(id),
        [
            new("lookupId", AuditValue.Of(outcome.LookupId)),
            new("at", AuditValue.Of(outcome.At)),
            new("outcome", AuditValue.Of(outcome.Outcome)),
            new("fromCache", AuditValue.Of(outcome.FromCache)),
        ]);
    }

    /// <summary>
    /// An operator's action, keyed by its row id: at, actor, actorName, unit, action, queue,
    /// messageId, jobId, comment, detail.
    /// </summary>
    public static AuditEntry Of(OperatorAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new AuditEntry(AuditEntryKinds.OperatorAction, Key(action.Id),
        [
            new("at", AuditValue.Of(action.At)),
            new("actor", AuditValue.Of(action.Actor)),
            new("actorName", AuditValue.Of(action.ActorName)),
            new("unit", AuditValue.Of(action.Unit)),
            new("action", AuditValue.Of(action.Action)),
            new("queue", AuditValue.Of(action.Queue)),
            new("messageId", AuditValue.Of(action.MessageId)),
            new("jobId", AuditValue.Of(action.JobId)),
            new("comment", AuditValue.Of(action.Comment)),
            new("detail", AuditValue.Of(action.Detail)),
        ]);
    }

    /// <summary>The chain an entry kind belongs to.</summary>
    public static string ChainOf(string kind) => kind switch
    {
        AuditEntryKinds.TimelineStep => AuditChains.Timeline,
        AuditEntryKinds.IdentityLookup or AuditEntryKinds.IdentityOutcome => AuditChains.Identity,
        AuditEntryKinds.OperatorAction => AuditChains.Operator,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of audit entry."),
    };

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
