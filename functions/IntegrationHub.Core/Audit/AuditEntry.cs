namespace IntegrationHub.Core.Audit;

/// <summary>A field's value in an entry's canonical form: nothing, text, or a whole number.</summary>
public readonly record struct AuditValue
{
    private AuditValue(string? text, long? number)
    {
        Text = text;
        Number = number;
    }

    /// <summary>The text, when the value is text.</summary>
    public string? Text { get; }

    /// <summary>The number, when the value is a number.</summary>
    public long? Number { get; }

    /// <summary>Whether the value is absent.</summary>
    public bool IsNull => Text is null && Number is null;

    /// <summary>No value.</summary>
    public static AuditValue Null { get; }

    /// <summary>Text, or nothing when null.</summary>
    public static AuditValue Of(string? text) => new(text, null);

    /// <summary>A number, or nothing when null.</summary>
    public static AuditValue Of(long? number) => new(null, number);

    /// <summary>A time as Unix milliseconds (the store's resolution), or nothing when null.</summary>
    public static AuditValue Of(DateTimeOffset? time) => new(null, time?.ToUnixTimeMilliseconds());

    /// <summary>A flag as 1 or 0.</summary>
    public static AuditValue Of(bool flag) => new(null, flag ? 1 : 0);

    /// <inheritdoc />
    public override string ToString() => Text is { } text ? text : Number is { } number ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
}

/// <summary>One named field of an entry.</summary>
/// <param name="Name">The field's name (camelCase, as documented).</param>
/// <param name="Value">Its value.</param>
public readonly record struct AuditField(string Name, AuditValue Value);

/// <summary>
/// An entry of one of the logs as the chain covers it: its kind, its key in its table, and its
/// fields in the documented order. It holds no personal data beyond masked IDs and keyed hashes.
/// </summary>
/// <param name="Kind">One of <see cref="AuditEntryKinds"/>.</param>
/// <param name="EntryId">The entry's key in its table, as text.</param>
/// <param name="Fields">The chained fields, in their documented order.</param>
public sealed record AuditEntry(string Kind, string EntryId, IReadOnlyList<AuditField> Fields)
{
    /// <summary>The value of a field, by name (null when the entry has no such field).</summary>
    public AuditValue? this[string name] => Fields.FirstOrDefault(f => f.Name == name) is { Name: not null } field ? field.Value : null;
}
