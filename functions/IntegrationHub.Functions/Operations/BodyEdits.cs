using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Identity;
using IntegrationHub.Functions.Identity;

namespace IntegrationHub.Functions.Operations;

/// <summary>One field an operator changed: its JSON path, and its value before and after (absent is null).</summary>
internal sealed record FieldChange(string Path, JsonNode? Before, JsonNode? After);

/// <summary>
/// What an edit changed, field by field. The audit log keeps these changes and a hash of each
/// whole body rather than the bodies themselves: the edit is on record without a second copy of
/// everything else the message says about the applicant.
/// </summary>
internal static class BodyEdits
{
    public static IReadOnlyList<FieldChange> Changes(JsonNode? before, JsonNode? after)
    {
        var changes = new List<FieldChange>();
        Compare("$", before, after, changes);
        return changes;
    }

    public static string Hash(ReadOnlySpan<byte> body) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));

    // Fields that hold an applicant's personal data, in the contracts and in the portal's own format.
    private static readonly HashSet<string> PersonalFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "applicant", "name", "fullName", "idNumber", "citizenId", "birthDate", "sex", "email", "phone", "address",
        "chuHoSo", "soGiayToChuHoSo", "dinhDanhCHS", "soDinhDanh", "ngaySinhChuHoSo", "gioiTinhChuHoSo", "diaChiChuHoSo", "soDienThoai",
    };

    private static readonly HashSet<string> IdFields = new(StringComparer.OrdinalIgnoreCase) { "idNumber", "citizenId", "soGiayToChuHoSo", "soDinhDanh" };

    /// <summary>
    /// The changes as the audit log keeps them: a personal field's values replaced by a keyed hash
    /// (and an ID's masked form), so that the chained entry holds no personal data and the change can
    /// still be checked against a value one has; every other field as it was.
    /// </summary>
    public static IReadOnlyList<FieldChange> ForTheRecord(IReadOnlyList<FieldChange> changes, CitizenKeys keys)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(keys);
        return [.. changes.Select(c => Segments(c.Path) is var segments && segments.Any(PersonalFields.Contains)
            ? c with { Before = Kept(c.Before, segments[^1], keys), After = Kept(c.After, segments[^1], keys) }
            : c)];
    }

    private static string[] Segments(string path) =>
        [.. path.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('[')[0]).Where(s => s is not ("$" or ""))];

    private static JsonObject? Kept(JsonNode? value, string field, CitizenKeys keys)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        var kept = new JsonObject { ["keyedHash"] = keys.Hash(text) };
        if (IdFields.Contains(field) && value.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            kept["masked"] = CitizenId.Mask(text);
        }

        return kept;
    }

    private static void Compare(string path, JsonNode? before, JsonNode? after, List<FieldChange> changes)
    {
        switch (before, after)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key), StringComparer.Ordinal))
                {
                    Compare($"{path}.{key}", a[key], b[key], changes);
                }

                break;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    Compare($"{path}[{i}]", i < a.Count ? a[i] : null, i < b.Count ? b[i] : null, changes);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    changes.Add(new FieldChange(path, before?.DeepClone(), after?.DeepClone()));
                }

                break;
        }
    }
}
