using System.Security.Cryptography;
using System.Text.Json.Nodes;

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
