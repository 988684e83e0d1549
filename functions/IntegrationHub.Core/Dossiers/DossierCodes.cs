using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IntegrationHub.Core.Dossiers;

/// <summary>Settings of city dossier codes.</summary>
public sealed class DossierCodeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DossierCodes";

    /// <summary>
    /// The city's agency electronic identifier (Decision 20/2020/QĐ-TTg), the code prefix.
    /// </summary>
    /// <value>Required, e.g. <c>000.00.00.H26</c>; which <c>Hxx</c> is Hanoi is not confirmed by a source, so it is configured.</value>
    [Required(ErrorMessage = "DossierCodes:AgencyCode is required: the city's agency electronic identifier, e.g. 000.00.00.H26.")]
    [RegularExpression(DossierCode.AgencyCodePattern, ErrorMessage = "DossierCodes:AgencyCode must be an agency electronic identifier like 000.00.00.H26 (Decision 20/2020/QĐ-TTg).")]
    public string AgencyCode { get; set; } = "";
}

/// <summary>A city dossier code, <c>{agency code}-{yyMMdd}-{sequence}</c>, e.g. <c>000.00.00.H26-250412-0001</c>.</summary>
/// <param name="AgencyCode">The issuing agency's electronic identifier.</param>
/// <param name="Day">The Vietnam calendar day of issue.</param>
/// <param name="Sequence">The day's sequence number, from 1.</param>
public readonly partial record struct DossierCode(string AgencyCode, DateOnly Day, long Sequence)
{
    /// <summary>The form of an agency electronic identifier.</summary>
    public const string AgencyCodePattern = @"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$";

    /// <summary>The code as text; the sequence has at least four digits.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{AgencyCode}-{Day:yyMMdd}-{Sequence:D4}");

    /// <summary>Reads a code; false when the text is not one.</summary>
    public static bool TryParse(string? text, out DossierCode code)
    {
        code = default;
        var match = text is null ? null : CodeRegex().Match(text);
        if (match is null || !match.Success
            || !DateOnly.TryParseExact(match.Groups["day"].Value, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !long.TryParse(match.Groups["seq"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || sequence < 1)
        {
            return false;
        }

        code = new DossierCode(match.Groups["agency"].Value, day, sequence);
        return true;
    }

    [GeneratedRegex(@"^(?<agency>[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})-(?<day>[0-9]{6})-(?<seq>[0-9]{4,})$")]
    private static partial Regex CodeRegex();
}

/// <summary>Issues city dossier codes: one agency prefix, a daily sequence that never repeats.</summary>
public sealed class DossierCodeIssuer
{
    private readonly IDossierSequence sequence;

    /// <summary>Creates an issuer for an agency.</summary>
    /// <exception cref="ArgumentException">The agency code is not an agency electronic identifier.</exception>
    public DossierCodeIssuer(IDossierSequence sequence, string agencyCode)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (agencyCode is null || !Regex.IsMatch(agencyCode, DossierCode.AgencyCodePattern))
        {
            throw new ArgumentException($"'{agencyCode}' is not an agency electronic identifier like 000.00.00.H26.", nameof(agencyCode));
        }

        this.sequence = sequence;
        AgencyCode = agencyCode;
    }

    /// <summary>The agency prefix.</summary>
    public string AgencyCode { get; }

    /// <summary>Issues the next code for a dossier received at <paramref name="receivedAt"/> (dated by Vietnam time).</summary>
    public async ValueTask<DossierCode> IssueAsync(DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var day = VietnamTime.DateOf(receivedAt);
        var next = await sequence.NextAsync(AgencyCode, day, cancellationToken);
        return new DossierCode(AgencyCode, day, next);
    }
}
