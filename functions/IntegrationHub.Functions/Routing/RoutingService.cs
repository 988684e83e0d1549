using System.Collections.Concurrent;
using IntegrationHub.Core.Calendar;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Routing;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;
using Route = IntegrationHub.Core.Routing.Route;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Routing;

/// <summary>
/// Routing: the table in force at receipt picks the one competent department and its branch; the
/// hub issues the city code and the working-day due date; the dossier goes to the department's
/// queue once (and to its sector system, where it has one), and the portal is told status 2. An
/// unknown procedure, department or branch, or a due date past the calendar's data, is
/// dead-lettered naming it, for an operator to fix the data and replay.
/// </summary>
internal sealed class RoutingService(
    Reloadable<ReferenceData> referenceData,
    IOptions<DossierCodeOptions> codes,
    IQueueAdmin queues,
    IHubTransactions transactions,
    IDossierSequences sequences,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<RoutingService> logger)
{
    public const string Consumer = "route-dossier";
    public const string RoutingFailed = "RoutingFailed";
    public const string CalendarNotCovered = "CalendarNotCovered";
    private readonly ConcurrentDictionary<string, bool> declared = new(StringComparer.Ordinal);

    public async Task RouteAsync(ApplicantVerified verified, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        var submission = verified.Submission;
        var data = referenceData.Current;
        Route route;
        DateTimeOffset dueAt;
        try
        {
            route = data.Route(submission.ProcedureCode, verified.ReceivedAt, submission.ReceivingBranch);
            dueAt = data.Calendar.DueDate(verified.ReceivedAt, route.Procedure.Resolution);
        }
        catch (RoutingException ex)
        {
            await DeadLetterAsync(submission.PortalCode, RoutingFailed, $"{ex.Error}: {ex.Message}", context, cancellationToken);
            return;
        }
        catch (CalendarNotCoveredException ex)
        {
            await DeadLetterAsync(submission.PortalCode, CalendarNotCovered, ex.Message, context, cancellationToken);
            return;
        }

        if (declared.TryAdd(route.Queue, true))
        {
            await queues.EnsureQueueAsync(route.Queue, cancellationToken);
        }

        var now = time.GetUtcNow();
        await using var transaction = await transactions.BeginAsync(cancellationToken);
        if (!await transaction.TryRecordProcessedAsync(Consumer, context.MessageId, cancellationToken))
        {
            return;
        }

        var record = await dossiers.FindAsync(transaction, submission.PortalCode, cancellationToken)
            ?? throw new InvalidOperationException($"Dossier {submission.PortalCode} was routed before it was received.");
        var cityCode = record.CityCode
            ?? (await new DossierCodeIssuer(sequences.For(transaction), codes.Value.AgencyCode).IssueAsync(verified.ReceivedAt, cancellationToken)).ToString();
        var progress = new DossierProgress { Status = DossierStatus.Accepted, Resolution = route.Procedure.Resolution, DueAt = dueAt };
        await dossiers.SaveAsync(
            transaction,
            record with
            {
                CityCode = cityCode, Stage = DossierStage.Routed, DepartmentCode = route.Department.Code, ReceivingBranch = route.ReceivingBranch,
                SectorSystem = route.SectorSystem, RoutingVersion = route.TableVersion, Progress = progress,
            },
            cancellationToken);

        var routed = Routed(verified, route, cityCode, dueAt);
        transaction.Send(route.Queue, FlowMessages.Create($"dept:{submission.PortalCode}", submission.PortalCode, routed));
        if (route.SectorSystem is not null)
        {
            transaction.Send(HubQueues.SectorDelivery, FlowMessages.Create($"sector:{submission.PortalCode}", submission.PortalCode, routed));
        }

        var action = Core.Flows.PortalTexts.Accepted(route.Department.Name!);
        transaction.Send(HubQueues.PortalStatus, FlowMessages.Create($"portal:{submission.PortalCode}:accepted", submission.PortalCode, new SyncPortalStatus
        {
            CityCode = cityCode,
            PortalCode = submission.PortalCode,
            Status = DossierStatus.Accepted,
            ChangedAt = now,
            DueAt = dueAt,
            Progress = [FlowMessages.HubProgress(action, DossierStatus.Accepted, now, dueAt)],
        }));
        await dossiers.AppendAsync(transaction, FlowMessages.HubStep(submission.PortalCode, now, $"{action} Mã hồ sơ {cityCode}, hạn trả kết quả {Core.VietnamTime.ToLocal(dueAt):dd/MM/yyyy HH:mm}.", DossierStatus.Accepted, context.MessageId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.DossierRouted(logger, submission.PortalCode, cityCode, route.Department.Code, route.TableVersion);
    }

    private async Task DeadLetterAsync(string portalCode, string reason, string description, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        // The dossier's record and timeline say why; no inbox record, so that a replay routes again.
        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            if (await dossiers.FindAsync(transaction, portalCode, cancellationToken) is { } record)
            {
                await dossiers.SaveAsync(transaction, record with { Stage = DossierStage.DeadLettered }, cancellationToken);
                await dossiers.AppendAsync(transaction, FlowMessages.HubStep(portalCode, time.GetUtcNow(), $"Chưa thể chuyển hồ sơ: {description}", messageId: context.MessageId), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await context.DeadLetterAsync(reason, description, cancellationToken);
        Log.DossierNotRouted(logger, portalCode, reason);
    }

    private static DossierRouted Routed(ApplicantVerified verified, Route route, string cityCode, DateTimeOffset dueAt)
    {
        var submission = verified.Submission;
        return new DossierRouted
        {
            CityCode = cityCode,
            PortalCode = submission.PortalCode,
            ProcedureCode = route.Procedure.Code,
            ProcedureName = route.Procedure.Name,
            DepartmentCode = route.Department.Code,
            DepartmentName = route.Department.Name!,
            ReceivingBranch = route.ReceivingBranch,
            SectorSystem = route.SectorSystem,
            Channel = submission.Channel,
            Applicant = submission.Applicant,
            Summary = submission.Summary,
            ReceivedAt = verified.ReceivedAt,
            DueAt = dueAt,
            Resolution = route.Procedure.Resolution,
            RoutingTableVersion = route.TableVersion,
            Documents = submission.Documents,
            Fees = submission.Fees,
        };
    }
}
