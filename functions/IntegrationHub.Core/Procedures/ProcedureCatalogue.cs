using System.Collections.Frozen;
using System.Text.Json;
using IntegrationHub.Core.Calendar;
using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Procedures;

/// <summary>An administrative procedure (<c>thủ tục hành chính</c>) the center handles.</summary>
public sealed record Procedure
{
    /// <summary>Procedure code in the national procedure database (<c>MaTTHC</c>), e.g. <c>1.001612</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Official name.</summary>
    public required string Name { get; init; }

    /// <summary>Name in English, for readers who do not read Vietnamese.</summary>
    public string? EnglishName { get; init; }

    /// <summary>Field (<c>lĩnh vực</c>) code.</summary>
    public required string FieldCode { get; init; }

    /// <summary>Field name.</summary>
    public required string FieldName { get; init; }

    /// <summary>Code of the competent department in the routing table.</summary>
    public required string Department { get; init; }

    /// <summary>Resolution time.</summary>
    public required ResolutionTime Resolution { get; init; }

    /// <summary>Fees and charges.</summary>
    public IReadOnlyList<Fee> Fees { get; init; } = [];
}

/// <summary>The procedure catalogue as data (<c>data/procedures.json</c>).</summary>
public sealed class ProcedureCatalogue
{
    private readonly FrozenDictionary<string, Procedure> byCode;

    /// <summary>Creates a catalogue.</summary>
    /// <exception cref="InvalidDataException">A code appears twice or is malformed.</exception>
    public ProcedureCatalogue(IEnumerable<Procedure> procedures)
    {
        ArgumentNullException.ThrowIfNull(procedures);
        var all = procedures.ToList();
        var duplicate = all.GroupBy(p => p.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"The procedure catalogue lists '{duplicate.Key}' twice.");
        }

        var malformed = all.FirstOrDefault(p => NationalCode(p.Code) is null);
        if (malformed is not null)
        {
            throw new InvalidDataException($"The procedure code '{malformed.Code}' ({malformed.Name}) is not of the form 1.001612.");
        }

        var unbounded = all.FirstOrDefault(p => p.Resolution.Days <= 0);
        if (unbounded is not null)
        {
            throw new InvalidDataException($"The procedure '{unbounded.Code}' has no resolution time; every procedure needs a positive number of days.");
        }

        All = all;
        byCode = all.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);
    }

    /// <summary>Every procedure.</summary>
    public IReadOnlyList<Procedure> All { get; }

    /// <summary>
    /// Finds a procedure by its code; a local code that appends an agency code to the national one
    /// (<c>1.002835.000.00.00.H56</c>) falls back to the national code.
    /// </summary>
    public Procedure? Find(string? code)
    {
        if (code is null)
        {
            return null;
        }

        if (byCode.TryGetValue(code, out var procedure))
        {
            return procedure;
        }

        var national = NationalCode(code);
        return national is not null && national != code && byCode.TryGetValue(national, out procedure) ? procedure : null;
    }

    /// <summary>Reads a catalogue from JSON.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or inconsistent.</exception>
    public static ProcedureCatalogue Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var file = JsonSerializer.Deserialize<CatalogueFile>(json, DataJson.Options)
                ?? throw new InvalidDataException("The procedure catalogue is empty.");
            return new ProcedureCatalogue(file.Procedures);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The procedure catalogue is not valid: {ex.Message}", ex);
        }
    }

    private static string? NationalCode(string code)
    {
        // "1.001612", or "1.001612.<agency code>" for a local variant of a national procedure.
        var startsNational = code.Length >= 8
            && char.IsAsciiDigit(code[0])
            && code[1] == '.'
            && code.AsSpan(2, 6).IndexOfAnyExceptInRange('0', '9') < 0;
        return startsNational && (code.Length == 8 || code[8] == '.') ? code[..8] : null;
    }

    private sealed record CatalogueFile
    {
        public IReadOnlyList<string> Notes { get; init; } = [];

        public required IReadOnlyList<Procedure> Procedures { get; init; }
    }
}
