using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Core;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using IntegrationHub.Core.Routing;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Identity;

/// <summary>The officer asking, as the audit log records them.</summary>
/// <param name="Officer">The account.</param>
/// <param name="Unit">The unit.</param>
internal readonly record struct Caller(string Officer, string Unit);

/// <summary>A question the hub refuses to put to the population database, and why.</summary>
internal sealed class IdentityRequestException(string problemType, string field, string message, IReadOnlyList<string>? allowed = null) : Exception(message)
{
    public string ProblemType { get; } = problemType;

    public string Field { get; } = field;

    public IReadOnlyList<string>? Allowed { get; } = allowed;
}

/// <summary>
/// Identity checks on demand: every lookup is audited before the population database is asked
/// (who, unit, purpose, when, masked ID), answers are reused briefly under a keyed hash (never the
/// raw ID), and only the prefill fields the purpose allows are returned.
/// </summary>
internal sealed class IdentityVerificationService(
    IPopulationRegistry registry,
    IIdentityAuditLog audit,
    IMemoryCache cache,
    IOptions<IdentityOptions> options,
    Reloadable<ReferenceData> referenceData,
    TimeProvider time)
{
    private readonly byte[] key = options.Value.AuditKeyBytes();

    public async Task<IdentityVerificationResult> VerifyAsync(IdentityVerificationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = AllowedFields(request.Purpose);
        var check = CitizenId.Check(request.CitizenId, request.BirthDate, today: VietnamTime.DateOf(time.GetUtcNow()));
        if (!check.IsValid || check.Kind != CitizenIdKind.PersonalId)
        {
            throw new IdentityRequestException(Http.Problems.ValidationFailed, "citizenId", check.Reason ?? "A 12-digit personal ID is required.");
        }

        var lookupId = "idl-" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var lookup = new IdentityLookup
        {
            LookupId = lookupId, At = time.GetUtcNow(), Officer = caller.Officer, Unit = caller.Unit, Purpose = request.Purpose,
            MaskedCitizenId = CitizenId.Mask(request.CitizenId), CitizenKey = CitizenKeyOf(request.CitizenId),
        };
        var cacheKey = Hash($"{request.CitizenId}\n{request.FullName}\n{request.BirthDate:yyyy-MM-dd}\n{request.Purpose}");
        if (cache.TryGetValue(cacheKey, out CachedAnswer? answer))
        {
            // Nobody is asked: the lookup is recorded, with its outcome, before the answer leaves.
            await audit.RecordLookupAsync(lookup with { Outcome = OutcomeName(answer!.Match.Outcome), FromCache = true }, cancellationToken);
        }
        else
        {
            await audit.RecordLookupAsync(lookup, cancellationToken);
            try
            {
                var match = await registry.VerifyAsync(
                    new IdentityQuery(request.CitizenId, request.FullName, request.BirthDate, new CallerInfo(caller.Officer, caller.Unit, request.Purpose, lookupId)),
                    fields,
                    cancellationToken);
                answer = new CachedAnswer(match, time.GetUtcNow());
            }
            catch (GatewayException ex)
            {
                await audit.RecordOutcomeAsync(lookupId, ex.Failure == GatewayFailure.Unavailable ? "unavailable" : "rejected", fromCache: false, CancellationToken.None);
                throw;
            }

            if (options.Value.CacheDuration > TimeSpan.Zero)
            {
                cache.Set(cacheKey, answer, options.Value.CacheDuration);
            }

            await audit.RecordOutcomeAsync(lookupId, OutcomeName(answer.Match.Outcome), fromCache: false, cancellationToken);
        }

        return new IdentityVerificationResult
        {
            LookupId = lookupId,
            Outcome = answer.Match.Outcome,
            MismatchedFields = answer.Match.MismatchedFields,
            Prefill = answer.Match.Outcome == IdentityOutcome.Match ? Only(answer.Match.Prefill, fields) : null,
            CheckedAt = answer.CheckedAt,
        };
    }

    /// <summary>The keyed hash that stands for a citizen ID in the audit log.</summary>
    public string CitizenKeyOf(string citizenId) => Hash("citizen\n" + citizenId);

    private IReadOnlySet<PrefillField> AllowedFields(string purpose)
    {
        if (options.Value.Purposes.TryGetValue(purpose, out var named))
        {
            return named.ToHashSet();
        }

        if (referenceData.Current.Procedures.Find(purpose) is not null)
        {
            return options.Value.ProcedurePurposeFields.ToHashSet();
        }

        var allowed = options.Value.Purposes.Keys.Order(StringComparer.Ordinal).Append("<procedure code>").ToList();
        throw new IdentityRequestException(Http.Problems.UnknownPurpose, "purpose", $"'{purpose}' is not a configured purpose or a procedure code of the catalogue.", allowed);
    }

    // The answer may hold more than this purpose allows only if the gateway misbehaved; filter anyway.
    private static IdentityPrefill? Only(IdentityPrefill? prefill, IReadOnlySet<PrefillField> fields) => prefill is null ? null : new IdentityPrefill
    {
        FullName = fields.Contains(PrefillField.FullName) ? prefill.FullName : null,
        Sex = fields.Contains(PrefillField.Sex) ? prefill.Sex : null,
        Nationality = fields.Contains(PrefillField.Nationality) ? prefill.Nationality : null,
        Ethnicity = fields.Contains(PrefillField.Ethnicity) ? prefill.Ethnicity : null,
        PermanentAddress = fields.Contains(PrefillField.PermanentAddress) ? prefill.PermanentAddress : null,
        CurrentAddress = fields.Contains(PrefillField.CurrentAddress) ? prefill.CurrentAddress : null,
        HomeTown = fields.Contains(PrefillField.HomeTown) ? prefill.HomeTown : null,
    };

    /// <summary>An outcome as the audit log records it.</summary>
    public static string OutcomeName(IdentityOutcome outcome) => outcome switch
    {
        IdentityOutcome.Match => "match",
        IdentityOutcome.Mismatch => "mismatch",
        _ => "notFound",
    };

    private string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));

    private sealed record CachedAnswer(IdentityMatch Match, DateTimeOffset CheckedAt);
}
