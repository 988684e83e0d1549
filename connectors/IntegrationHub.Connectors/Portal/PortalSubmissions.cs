using System.Text.Json;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;

namespace IntegrationHub.Connectors.Portal;

/// <summary>
/// Reads dossiers in the portal's wire format (<c>MaHoSo</c>, <c>ChuHoSo</c>, ...) as submissions: the
/// same reading for a page pulled from the portal and for a push the portal sends by webhook.
/// </summary>
public static class PortalSubmissions
{
    /// <summary>
    /// Reads a push body, <c>{ "data": [ dossier, ... ] }</c> as in the portal's <c>DongBoHoSoMC</c>:
    /// every item comes back, read or with the problem that stops it being read.
    /// </summary>
    /// <exception cref="JsonException">The body is not an object with a <c>data</c> array.</exception>
    public static IReadOnlyList<PortalSubmission> ReadPush(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("data", out var data)
            || data.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The body must be an object with a 'data' array of dossiers.");
        }

        return [.. data.EnumerateArray().Select(Read)];
    }

    /// <summary>One dossier of the portal as a submission, or the problem naming the portal fields.</summary>
    public static PortalSubmission Read(JsonElement item)
    {
        var raw = item.GetRawText();
        var code = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("MaHoSo", out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;

        string? problem;
        SubmissionReceived? submission = null;
        try
        {
            var dossier = item.Deserialize<PortalDossier>(Wire.WireJson.Options);
            (submission, problem) = dossier is null ? (null, "the item is null") : PortalMapping.ToSubmission(dossier);
        }
        catch (JsonException ex)
        {
            problem = $"{(ex.Path ?? "$").TrimStart('$', '.')}: {ex.Message}";
        }

        return new PortalSubmission { PortalCode = code, Submission = submission, Problem = problem, RawJson = raw };
    }
}
