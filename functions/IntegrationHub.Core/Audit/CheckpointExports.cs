using System.Text.Json;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Audit;

/// <summary>The export file of checkpoints (<c>integrationhub-audit-checkpoints/1</c>): written by the hub, kept by an auditor, read by the verifier.</summary>
public static class CheckpointExports
{
    /// <summary>The format this hub writes and reads.</summary>
    public const string Format = "integrationhub-audit-checkpoints/1";

    private static readonly JsonSerializerOptions Indented = new(HubJson.Options) { WriteIndented = true };

    /// <summary>The checkpoints as an export document, oldest first.</summary>
    public static AuditCheckpointExport Of(IEnumerable<AuditCheckpoint> checkpoints, DateTimeOffset exportedAt) =>
        new() { Format = Format, ExportedAt = exportedAt, Checkpoints = [.. checkpoints.OrderBy(c => c.Number)] };

    /// <summary>The export document as the file's text (indented JSON).</summary>
    public static string Write(AuditCheckpointExport export) => JsonSerializer.Serialize(export, Indented);

    /// <summary>Reads an export file.</summary>
    /// <exception cref="FormatException">The text is not an export of this format; the message names what is wrong.</exception>
    public static IReadOnlyList<AuditCheckpoint> Read(string json)
    {
        AuditCheckpointExport? export;
        try
        {
            export = JsonSerializer.Deserialize<AuditCheckpointExport>(json, HubJson.Options);
        }
        catch (JsonException error)
        {
            throw new FormatException($"The checkpoint file is not an {Format} document: {error.Message}", error);
        }

        if (export is null)
        {
            throw new FormatException($"The checkpoint file is empty; expected an {Format} document.");
        }

        if (export.Format != Format)
        {
            throw new FormatException($"The checkpoint file's format is '{export.Format}'; this verifier reads {Format}.");
        }

        foreach (var (checkpoint, index) in export.Checkpoints.Select((c, i) => (c, i)))
        {
            var bad = checkpoint.Chains.FirstOrDefault(h => !CanonicalForm.IsHash(h.LastHash));
            if (bad is not null)
            {
                throw new FormatException($"checkpoints[{index}] (number {checkpoint.Number}): the {bad.Chain} chain's lastHash is not 64 lowercase hex digits.");
            }
        }

        return export.Checkpoints;
    }
}
