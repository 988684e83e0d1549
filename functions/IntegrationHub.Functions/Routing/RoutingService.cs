using IntegrationHub.Core.Calendar;
using IntegrationHub.Core.Dossiers;
using IntegrationHub.Runtime.Functions;
using Microsoft.Extensions.Options;
using Route = IntegrationHub.Core.Routing.Route;

namespace IntegrationHub.Functions.Routing;

/// <summary>
/// Routing: the table in force at receipt picks the one competent department and its branch; the
/// hub issues the city code and the working-day due date; the dossier goes to the department's
/// queue once (and to its sector system, where it has one), and the portal is told status 2. An
/// unknown procedure, department or branch, or a due date past the calendar's data, refuses the
/// dossier naming it, for an operator to fix the data and replay.
/// </summary>
internal sealed class RoutingService(
    Reloadable<ReferenceData> referenceData,
    IOptions<DossierCodeOptions> codes,
    IDossierSequences sequences,
    QueueDeclarations queues,
    IdempotentStep step,
    IHubTransactions transactions,
    IDossierRegistry dossiers,
    TimeProvider time,
    ILogger<RoutingService> logger)
{
    public const string Consumer = "route-dossier";
    public const string RoutingFailed = "RoutingFailed";
    public const string CalendarNotCovered = "CalendarNotCovered";

    /// <summary>
    /// Routes the verified dossier carried by message <paramref name="messageId"/>, delivered
    /// <paramref name="deliveryCount"/> times with this delivery.
    /// </summary>
    public async Task<StepOutcome> RouteAsync(ApplicantVerified verified, string messageId, int deliveryCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verified);
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
            return await RefuseAsync(submission.PortalCode, RoutingFailed, $"{ex.Error}: {ex.Message}", messageId, cancellationToken);
        }
        catch (CalendarNotCoveredException ex)
        {
            return await RefuseAsync(submission.PortalCode, CalendarNotCovered, ex.Message, messageId, cancellationToken);
        }

        await queues.EnsureAsync(route.Queue, cancellationToken);
        if (deliveryCount <= 1)
        {
            // A dossier has no city code until its routing commits, so a first delivery routes it without
            // reading it (a round trip less on PostgreSQL). A message delivered again may have taken effect
            // before: it reads the dossier first, so that its city code is kept and no number taken for nothing.
            try
            {
                return await RecordAsync(verified, route, dueAt, messageId, read: false, cancellationToken);
            }
            catch (ConcurrencyException)
            {
                // The dossier has a city code already (routed under another message) or is not there: read it.
            }
        }

        return await RecordAsync(verified, route, dueAt, messageId, read: true, cancellationToken);
    }

    private Task<StepOutcome> RecordAsync(ApplicantVerified verified, Route route, DateTimeOffset dueAt, string messageId, bool read, CancellationToken cancellationToken) =>
        step.RecordAsync(
            Consumer,
            messageId,
            (transaction, token) => RecordAsync(transaction, verified, route, dueAt, messageId, read, token),
            cityCode => Log.DossierRouted(logger, verified.Submission.PortalCode, cityCode, route.Department.Code, route.TableVersion),
            cancellationToken);

    /// <summary>
    /// Issues the city code (unless <paramref name="read"/> finds the dossier has one) and the due date, and
    /// sends the dossier to its department; returns the city code.
    /// </summary>
    private async Task<string> RecordAsync(IHubTransaction transaction, ApplicantVerified verified, Route route, DateTimeOffset dueAt, string messageId, bool read, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var portalCode = verified.Submission.PortalCode;
        var record = read
            ? await dossiers.FindAsync(transaction, portalCode, cancellationToken) ?? throw new InvalidOperationException($"Dossier {portalCode} was routed before it was received.")
            : null;
        var routing = new DossierRouting
        {
            CityCode = record?.CityCode ?? (await new DossierCodeIssuer(sequences.For(transaction), codes.Value.AgencyCode).IssueAsync(verified.ReceivedAt, cancellationToken)).ToString(),
            DepartmentCode = route.Department.Code, ReceivingBranch = route.ReceivingBranch, SectorSystem = route.SectorSystem, RoutingVersion = route.TableVersion,
            Progress = new DossierProgress { Status = DossierStatus.Accepted, Resolution = route.Procedure.Resolution, DueAt = dueAt },
        };
        if (record is null)
        {
            await dossiers.RouteUncodedAsync(transaction, portalCode, routing, cancellationToken);
        }
        else
        {
            await dossiers.SaveAsync(transaction, record.RoutedAs(routing), cancellationToken);
        }

        var cityCode = routing.CityCode;
        var routed = DossierRoutedOf(verified, route, cityCode, dueAt);
        transaction.Send(route.Queue, FlowMessages.Create($"dept:{portalCode}", portalCode, routed));
        if (route.SectorSystem is not null)
        {
            transaction.Send(HubQueues.SectorDelivery, FlowMessages.Create($"sector:{portalCode}", portalCode, routed));
        }

        transaction.Send(HubQueues.PortalStatus, PortalStatusChanges.Accepted(portalCode, cityCode, route.Department.Name!, dueAt, now));
        await dossiers.AppendAsync(transaction, FlowMessages.HubStep(portalCode, now, HubTexts.Routed(route.Department.Name!, cityCode, dueAt), DossierStatus.Accepted, messageId), cancellationToken);
        return cityCode;
    }

    /// <summary>
    /// The dossier's record and timeline say why it cannot be routed; no inbox record, so that a replay
    /// once the data is fixed routes it.
    /// </summary>
    private async Task<StepOutcome> RefuseAsync(string portalCode, string reason, string description, string messageId, CancellationToken cancellationToken)
    {
        await using (var transaction = await transactions.BeginAsync(cancellationToken))
        {
            if (await dossiers.FindAsync(transaction, portalCode, cancellationToken) is { } record)
            {
                await dossiers.SaveAsync(transaction, record with { Stage = DossierStage.DeadLettered }, cancellationToken);
                await dossiers.AppendAsync(transaction, FlowMessages.HubStep(portalCode, time.GetUtcNow(), HubTexts.NotRouted(description), messageId: messageId), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        Log.DossierNotRouted(logger, portalCode, reason);
        return StepOutcome.Refused(reason, description);
    }

    private static DossierRouted DossierRoutedOf(ApplicantVerified verified, Route route, string cityCode, DateTimeOffset dueAt)
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
