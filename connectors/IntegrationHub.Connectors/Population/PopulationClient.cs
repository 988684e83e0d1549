using System.Globalization;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Connectors.Wire;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Connectors.Population;

/// <summary>
/// The National Population Database through the provincial gateway. The database answers with the
/// whole citizen record; this client compares it with what was given and hands on only the
/// outcome and the prefill fields asked for, never the rest of the record.
/// </summary>
internal sealed class PopulationClient(IPopulationApi api, IOptions<PopulationOptions> options, ConnectorMetrics metrics, ILogger<PopulationClient> logger) : IPopulationRegistry
{
    /// <summary>The system's name in logs, metrics and errors.</summary>
    public const string SystemName = "population";

    private const string Operation = "Verify";
    private readonly GatewayCalls calls = new(SystemName, metrics, logger);
    private readonly PopulationOptions settings = options.Value;

    public async Task<IdentityMatch> VerifyAsync(IdentityQuery query, IReadOnlySet<PrefillField> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(wanted);
        if (query.CitizenId is not { Length: 12 } || !query.CitizenId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A population lookup needs a 12-digit personal ID.", nameof(query));
        }

        Log.PopulationLookup(logger, query.Caller.RequestId, CitizenId.Mask(query.CitizenId), query.Caller.OfficerCode, query.Caller.Unit, query.Caller.Purpose);

        var request = new CitizenLookupRequest
        {
            MaYeuCau = query.Caller.RequestId,
            MaTichHop = settings.IntegrationCode,
            MaDichVu = settings.ServiceCode,
            MaCanBo = query.Caller.OfficerCode,
            DonViYeuCau = query.Caller.Unit,
            MucDichSuDung = query.Caller.Purpose,
            SoDinhDanh = query.CitizenId,
            HoVaTen = VietnameseText.Fold(query.FullName),
            NgayThangNamSinh = WireTime.Format(query.BirthDate),
            NamSinh = query.BirthDate.Year.ToString(CultureInfo.InvariantCulture),
        };

        var reply = await calls.CallAsync<CitizenLookupReply>(Operation, ct => api.VerifyAsync(request, ct), cancellationToken);
        var match = Judge(query, wanted, reply);
        Log.PopulationAnswered(logger, query.Caller.RequestId, match.Outcome == IdentityOutcome.Mismatch
            ? $"{match.Outcome} ({string.Join(", ", match.MismatchedFields)})"
            : match.Outcome.ToString());
        return match;
    }

    private IdentityMatch Judge(IdentityQuery query, IReadOnlySet<PrefillField> wanted, CitizenLookupReply reply)
    {
        if (reply.ErrorCode == GatewayCodes.RecordNotFound)
        {
            return new IdentityMatch(IdentityOutcome.NotFound, [], null);
        }

        if (!reply.IsSuccess)
        {
            throw calls.Refused(Operation, reply);
        }

        // Errors below name fields but never quote their values: they are personal data.
        var record = reply.Data ?? throw calls.Malformed(Operation, "$.data", "missing");
        if (record.SoDinhDanh != query.CitizenId)
        {
            throw calls.Malformed(Operation, "$.data.SoDinhDanh", "the record is for another personal ID than the one asked for");
        }

        var registeredName = record.HoVaTen?.Full;
        if (string.IsNullOrEmpty(registeredName))
        {
            throw calls.Malformed(Operation, "$.data.HoVaTen", "missing");
        }

        if (!WireTime.TryParseDay(record.NgayThangNamSinh, out var registeredBirthDate))
        {
            throw calls.Malformed(Operation, "$.data.NgayThangNamSinh", "not a yyyyMMdd date");
        }

        var mismatched = new List<IdentityField>();
        if (VietnameseText.Fold(registeredName) != VietnameseText.Fold(query.FullName))
        {
            mismatched.Add(IdentityField.FullName);
        }

        if (registeredBirthDate != query.BirthDate)
        {
            mismatched.Add(IdentityField.BirthDate);
        }

        return mismatched.Count > 0
            ? new IdentityMatch(IdentityOutcome.Mismatch, mismatched, null)
            : new IdentityMatch(IdentityOutcome.Match, [], Prefill(record, registeredName, wanted));
    }

    private IdentityPrefill Prefill(CitizenRecord record, string registeredName, IReadOnlySet<PrefillField> wanted) => new()
    {
        FullName = wanted.Contains(PrefillField.FullName) ? registeredName : null,
        Sex = wanted.Contains(PrefillField.Sex) ? SexOf(record) : null,
        Nationality = wanted.Contains(PrefillField.Nationality) ? record.QuocTich?.Ten : null,
        Ethnicity = wanted.Contains(PrefillField.Ethnicity) ? record.DanToc?.Ten : null,
        PermanentAddress = wanted.Contains(PrefillField.PermanentAddress) ? record.ThuongTru?.OneLine() : null,
        CurrentAddress = wanted.Contains(PrefillField.CurrentAddress) ? record.NoiOHienTai?.OneLine() : null,
        HomeTown = wanted.Contains(PrefillField.HomeTown) ? record.QueQuan?.OneLine() : null,
    };

    private Sex SexOf(CitizenRecord record) => record.GioiTinh switch
    {
        "1" => Sex.Male,
        "2" => Sex.Female,
        _ => throw calls.Malformed(Operation, "$.data.GioiTinh", "not 1 (male) or 2 (female)"),
    };
}
