using IntegrationHub.Core;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Identity;

/// <summary>
/// Identity checks on demand: every lookup is audited before the population database is asked
/// (who, unit, purpose, when, masked ID), answers are reused briefly under a keyed hash (never the
/// raw ID), and only the prefill fields the purpose allows are returned.
/// </summary>
internal sealed class IdentityVerificationService(
    AuditedLookups lookups,
    CitizenKeys keys,
    IMemoryCache cache,
    IOptions<IdentityOptions> options,
    Reloadable<ReferenceData> referenceData,
    TimeProvider time)
{
    public async Task<IdentityVerificationResult> VerifyAsync(IdentityVerificationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = AllowedFields(request.Purpose);
        var check = CitizenId.Check(request.CitizenId, request.BirthDate, today: VietnamTime.DateOf(time.GetUtcNow()));
        if (!check.IsValid || check.Kind != CitizenIdKind.PersonalId)
        {
            throw new IdentityRequestException(Http.Problems.ValidationFailed, "citizenId", check.Reason ?? "A 12-digit personal ID is required.");
        }

        var lookup = lookups.Start(request.CitizenId, caller.Officer, caller.Unit, request.Purpose);
        var cacheKey = keys.Hash($"{request.CitizenId}\n{request.FullName}\n{request.BirthDate:yyyy-MM-dd}\n{request.Purpose}");
        if (cache.TryGetValue(cacheKey, out CachedAnswer? answer))
        {
            // Nobody is asked: the lookup is recorded, with its outcome, before the answer leaves.
            await lookups.RecordCachedAsync(lookup, answer!.Match.Outcome, cancellationToken);
        }
        else
        {
            var query = new IdentityQuery(request.CitizenId, request.FullName, request.BirthDate, new CallerInfo(caller.Officer, caller.Unit, request.Purpose, lookup.LookupId));
            answer = new CachedAnswer(await lookups.AskAsync(lookup, query, fields, cancellationToken), time.GetUtcNow());
            if (options.Value.CacheDuration > TimeSpan.Zero)
            {
                cache.Set(cacheKey, answer, options.Value.CacheDuration);
            }
        }

        return new IdentityVerificationResult
        {
            LookupId = lookup.LookupId,
            Outcome = answer.Match.Outcome,
            MismatchedFields = answer.Match.MismatchedFields,
            Prefill = answer.Match.Outcome == IdentityOutcome.Match ? Only(answer.Match.Prefill, fields) : null,
            CheckedAt = answer.CheckedAt,
        };
    }

    /// <summary>The keyed hash that stands for a citizen ID in the audit log.</summary>
    public string CitizenKeyOf(string citizenId) => keys.KeyOf(citizenId);

    private IReadOnlySet<PrefillField> AllowedFields(string purpose)
    {
        if (options.Value.Purposes.TryGetValue(purpose, out var named))
        {
            return named.ToHashSet();
        }

        if (referenceData.Current.Procedures.Find(purpose) is not null)
        {
            return options.Value.FieldsForProcedures.ToHashSet();
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

    private sealed record CachedAnswer(IdentityMatch Match, DateTimeOffset CheckedAt);
}
