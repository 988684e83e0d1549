using System.Text.Json;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Connectors.Wire;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Connectors.Portal;

/// <summary>
/// The National Public Service Portal through the provincial gateway: every service is a POST of
/// <c>{ service, madonvi, ... }</c> to a path named after it, answered with
/// <c>{ error_code, message, result }</c>.
/// </summary>
internal sealed class PortalClient(IPortalApi api, IOptions<PortalOptions> options, ConnectorMetrics metrics, ILogger<PortalClient> logger) : IPortalGateway
{
    /// <summary>The system's name in logs, metrics and errors.</summary>
    public const string SystemName = "portal";

    private readonly GatewayCalls calls = new(SystemName, metrics, logger);
    private readonly PortalOptions settings = options.Value;

    public async Task<SubmissionPage> ListSubmissionsAsync(string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        const string Operation = "ListSubmissions";
        const string Service = "LayDanhSachHoSoMoi";
        var request = new ListSubmissionsRequest
        {
            Service = Service,
            AgencyCode = settings.AgencyCode,
            Cursor = cursor,
            PageSize = pageSize,
        };

        var reply = await calls.CallAsync<ListSubmissionsReply>(Operation, ct => api.ListSubmissionsAsync(request, ct), cancellationToken, WireJson.PageOptions);
        if (!reply.IsSuccess)
        {
            throw calls.Refused(Operation, reply);
        }

        var items = reply.Result ?? throw calls.Malformed(Operation, "$.result", "missing");
        var next = reply.Cursor ?? (items.Count == 0 ? cursor : throw calls.Malformed(Operation, "$.contro", "missing on a page with items"));
        return new SubmissionPage(items.Select(ReadSubmission).ToList(), next, reply.HasMore ?? items.Count >= pageSize);
    }

    public async Task<PortalSyncOutcome> SyncDossierAsync(SyncPortalStatus change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        const string Operation = "SyncDossier";
        var dossier = PortalMapping.ToWire(change);

        var inserted = await SendSyncAsync(dossier, updating: false, cancellationToken);
        if (inserted.IsSuccess)
        {
            Log.PortalDossierSynced(logger, change.PortalCode, "inserted", (int)change.Status);
            return PortalSyncOutcome.Inserted;
        }

        if (!AlreadyExists(inserted))
        {
            throw calls.Refused(Operation, inserted);
        }

        Log.PortalDossierExists(logger, change.PortalCode);
        var updated = await SendSyncAsync(dossier, updating: true, cancellationToken);
        if (!updated.IsSuccess)
        {
            throw calls.Refused(Operation, updated);
        }

        Log.PortalDossierSynced(logger, change.PortalCode, "updated", (int)change.Status);
        return PortalSyncOutcome.Updated;
    }

    public async Task PushProgressAsync(string portalCode, IReadOnlyList<ProgressRecord> records, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(portalCode);
        ArgumentNullException.ThrowIfNull(records);
        const string Operation = "PushProgress";
        const string Service = "CapNhatTienDoHoSoMC";

        var sent = 0;
        foreach (var batch in records.Chunk(settings.ProgressBatchSize))
        {
            // The portal has no idempotency key for progress records: a batch that may have been
            // applied is not sent again (IPortalApi), so a step never shows twice.
            var request = new PushProgressRequest
            {
                Service = Service,
                AgencyCode = settings.AgencyCode,
                Data = batch.Select(r => PortalMapping.ToWire(portalCode, r)).ToList(),
            };

            try
            {
                var reply = await calls.CallAsync<WireReply>(Operation, ct => api.PushProgressAsync(request, ct), cancellationToken);
                if (!reply.IsSuccess)
                {
                    throw calls.Refused(Operation, reply);
                }
            }
            catch (GatewayException ex) when (sent > 0)
            {
                throw new GatewayException(ex.System, ex.Operation, ex.Failure, $"{ex.Message} ({sent} of {records.Count} records were added before this batch.)", ex.ErrorCode, ex.Field, ex);
            }

            sent += batch.Length;
        }
    }

    public async Task<PortalDossierView?> LookupAsync(string portalCode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(portalCode);
        const string Operation = "Lookup";
        const string Service = "TraCuuHoSo";
        var request = new LookupRequest { Service = Service, AgencyCode = settings.AgencyCode, PortalCode = portalCode };

        var reply = await calls.CallAsync<PortalReply<PortalDossier>>(Operation, ct => api.LookupAsync(request, ct), cancellationToken);
        if (reply.ErrorCode == GatewayCodes.RecordNotFound)
        {
            return null;
        }

        if (!reply.IsSuccess)
        {
            throw calls.Refused(Operation, reply);
        }

        var dossier = reply.Result ?? throw calls.Malformed(Operation, "$.result", "missing");
        var (view, field, problem) = PortalMapping.ToView(dossier);
        if (view is null)
        {
            throw calls.Malformed(Operation, field!, problem!);
        }

        return view.PortalCode == portalCode
            ? view
            : throw calls.Malformed(Operation, "$.result.MaHoSo", $"the reply is for dossier '{view.PortalCode}', not '{portalCode}'");
    }

    public async Task<IReadOnlyList<PortalProcedure>> ListProceduresAsync(CancellationToken cancellationToken)
    {
        const string Operation = "ListProcedures";
        const string Service = "LayDanhSachTTHC";
        var request = new PortalRequest { Service = Service, AgencyCode = settings.AgencyCode };

        var reply = await calls.CallAsync<PortalReply<List<PortalProcedureItem>>>(Operation, ct => api.ListProceduresAsync(request, ct), cancellationToken);
        if (!reply.IsSuccess)
        {
            throw calls.Refused(Operation, reply);
        }

        var items = reply.Result ?? throw calls.Malformed(Operation, "$.result", "missing");
        var procedures = new List<PortalProcedure>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (string.IsNullOrWhiteSpace(item.MaTTHC) || string.IsNullOrWhiteSpace(item.TenTTHC))
            {
                throw calls.Malformed(Operation, $"$.result[{i}].{(string.IsNullOrWhiteSpace(item.MaTTHC) ? nameof(item.MaTTHC) : nameof(item.TenTTHC))}", "missing");
            }

            procedures.Add(new PortalProcedure(item.MaTTHC, item.TenTTHC, string.IsNullOrWhiteSpace(item.MaLinhVuc) ? null : item.MaLinhVuc));
        }

        return procedures;
    }

    /// <summary>The portal's practice: an insert of a dossier it has is answered "... đã tồn tại" (already exists).</summary>
    internal static bool AlreadyExists(WireReply reply) => VietnameseText.Fold(reply.Message).Contains("DA TON TAI", StringComparison.Ordinal);

    private async Task<WireReply> SendSyncAsync(PortalDossierStatus dossier, bool updating, CancellationToken cancellationToken)
    {
        const string Service = "DongBoHoSoMC";
        var request = new SyncDossierRequest
        {
            Service = Service,
            AgencyCode = settings.AgencyCode,
            IsUpdating = updating ? "True" : "False",
            Data = [dossier],
        };
        return await calls.CallForVerdictAsync("SyncDossier", ct => api.SyncDossierAsync(request, ct), cancellationToken);
    }

    private PortalSubmission ReadSubmission(JsonElement item)
    {
        var submission = PortalSubmissions.Read(item);
        if (submission.Problem is not null)
        {
            // The problem names fields and may quote their values (a birth date, say): only the
            // field names are logged; the whole item goes to the dead-letter queue with it.
            Log.PortalItemUnreadable(logger, submission.PortalCode ?? "(no MaHoSo)", string.Join(", ", submission.Problem.Split("; ").Select(p => p.Split(':')[0])));
        }

        return submission;
    }
}
