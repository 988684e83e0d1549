using System.Data.Common;
using System.Globalization;
using IntegrationHub.Core.Audit;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>
/// Where each kind of entry is kept: its table, its key, the column the sealer scans in, and its
/// chained fields as columns, in the documented order. An entry is read from its row as the row
/// holds it (a whole number as a number, text as text, nothing as none), so the sealer and the
/// verifier read the same bytes, and a value someone put there of another type only changes the hash.
/// </summary>
internal sealed record AuditSource(string Kind, string Chain, string Table, string Key, bool TextKey, IReadOnlyList<(string Field, string Column)> Fields)
{
    public static IReadOnlyList<AuditSource> All { get; } =
    [
        new(AuditEntryKinds.IdentityLookup, AuditChains.Identity, "hub_identity_lookups", "lookup_id", TextKey: true,
            [("at", "at"), ("officer", "officer"), ("unit", "unit"), ("purpose", "purpose"), ("maskedCitizenId", "masked_citizen_id"), ("citizenKey", "citizen_key"), ("outcome", "outcome"), ("fromCache", "from_cache")]),
        new(AuditEntryKinds.IdentityOutcome, AuditChains.Identity, "hub_identity_outcomes", "id", TextKey: false,
            [("lookupId", "lookup_id"), ("at", "at"), ("outcome", "outcome"), ("fromCache", "from_cache")]),
        new(AuditEntryKinds.OperatorAction, AuditChains.Operator, "hub_ops_audit", "id", TextKey: false,
            [("at", "at"), ("actor", "actor"), ("actorName", "actor_name"), ("unit", "unit"), ("action", "action"), ("queue", "queue"), ("messageId", "message_id"), ("jobId", "job_id"), ("comment", "comment"), ("detail", "detail")]),
        new(AuditEntryKinds.TimelineStep, AuditChains.Timeline, "hub_dossier_timeline", "id", TextKey: false,
            [("portalCode", "portal_code"), ("at", "at"), ("actor", "actor"), ("unit", "unit"), ("action", "action"), ("status", "status"), ("messageId", "message_id")]),
    ];

    /// <summary>The sources of a chain, in the order their entries of one instant are sealed (a lookup before its outcome).</summary>
    public static IEnumerable<AuditSource> Of(string chain) => All.Where(s => s.Chain == chain);

    /// <summary>The column the sealer scans in, in the order rows were written: the key, or (text keys) the row number.</summary>
    public string Sequence(SqlDialect dialect) => !TextKey ? Key : dialect == SqlDialect.Sqlite ? "rowid" : "seq";

    /// <summary>The table's columns selected with a prefix (<c>t.at AS p_at</c>), key first.</summary>
    public string Columns(string alias, string prefix) =>
        string.Join(", ", new[] { $"{alias}.{Key} AS {prefix}key" }.Concat(Fields.Select((f, i) => $"{alias}.{f.Column} AS {prefix}{i}")));

    /// <summary>
    /// A reader of the entries in the columns named with <paramref name="prefix"/> (their ordinals
    /// looked up once): each call reads the current row's entry, or null when the row is not there.
    /// </summary>
    public Func<AuditEntry?> ReaderOf(DbDataReader reader, string prefix)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var key = reader.GetOrdinal($"{prefix}key");
        var columns = Fields.Select((_, i) => reader.GetOrdinal($"{prefix}{i}")).ToArray();
        return () =>
        {
            if (reader.IsDBNull(key))
            {
                return null;
            }

            var fields = new AuditField[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                fields[i] = new AuditField(Fields[i].Field, Value(reader.GetValue(columns[i])));
            }

            return new AuditEntry(Kind, Text(reader.GetValue(key)), fields);
        };
    }

    /// <summary>A column's value as the chains hold it (of the types Microsoft.Data.Sqlite and Npgsql read).</summary>
    internal static AuditValue Value(object value) => value switch
    {
        DBNull => AuditValue.Null,
        long number => AuditValue.Of(number),
        int number => AuditValue.Of(number),
        short number => AuditValue.Of(number),
        string text => AuditValue.Of(text),
        _ => AuditValue.Of(Text(value)),
    };

    /// <summary>A key, or a value of another type, as text.</summary>
    internal static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
