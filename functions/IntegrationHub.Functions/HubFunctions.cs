using IntegrationHub.Core.Dossiers;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Delivery;
using IntegrationHub.Functions.Identity;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Functions.Routing;
using IntegrationHub.Functions.Status;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Store.Operations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions;

/// <summary>Every function of the hub, registered and mapped in one place.</summary>
internal static class HubFunctions
{
    /// <summary>The flows: intake, verification, routing, delivery, status back to the portal, deadlines.</summary>
    public static IServiceCollection AddHubFlows(this IServiceCollection services)
    {
        services.AddOptions<FlowOptions>().BindConfiguration(FlowOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DossierCodeOptions>().BindConfiguration(DossierCodeOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<IntakeService>();
        services.AddSingleton<ApplicantVerificationService>();
        services.AddSingleton<RoutingService>();
        services.AddSingleton<SectorDeliveryService>();
        services.AddSingleton<DepartmentInbox>();
        services.AddSingleton<DepartmentStatusService>();
        services.AddSingleton<PortalStatusService>();
        services.AddSingleton<DeadlineWatch>();
        services.AddSingleton<QueueDeclarations>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueDeclarations>());

        services.AddTimerFunction<SyncPortalOnTimer>(SyncPortalOnTimer.Name, sp => sp.GetRequiredService<IOptions<FlowOptions>>().Value.PortalPollInterval);
        services.AddTimerFunction<WatchDeadlinesOnTimer>(WatchDeadlinesOnTimer.Name, sp => sp.GetRequiredService<IOptions<FlowOptions>>().Value.DeadlineCheckInterval);
        services.AddQueueFunction<SubmissionReceived, VerifyApplicantOnQueue>(HubQueues.Intake);
        services.AddQueueFunction<ApplicantVerified, RouteDossierOnQueue>(HubQueues.Route);
        services.AddQueueFunction<DossierRouted, DeliverToSectorOnQueue>(HubQueues.SectorDelivery);
        services.AddQueueFunction<SyncPortalStatus, PushStatusToPortalOnQueue>(HubQueues.PortalStatus);

        services.AddTransient<ReceivePortalWebhookOnHttp>();
        services.AddTransient<PullDossiersOnHttp>();
        services.AddTransient<AcknowledgeDossierOnHttp>();
        services.AddTransient<ReceiveDepartmentStatusOnHttp>();
        services.AddTransient<ReadTimelineOnHttp>();
        return services;
    }

    /// <summary>Identity checks on demand, audited.</summary>
    public static IServiceCollection AddIdentityChecks(this IServiceCollection services)
    {
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<CitizenKeys>();
        services.AddSingleton<AuditedLookups>();
        services.AddSingleton<IdentityVerificationService>();
        services.AddTransient<VerifyIdentityOnHttp>();
        services.AddTransient<ListIdentityLookupsOnHttp>();
        return services;
    }

    /// <summary>Operations: dead letters, replay jobs, the audit log, queues, deadlines, connectors, health, the page.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOperationsStore();
        services.AddSingleton<DeadLetterCatalog>();
        services.AddSingleton<ReplayPlanner>();
        services.AddSingleton<ReplayJobControl>();
        services.AddSingleton<ReplayItemRunner>();
        services.AddSingleton<ReplayJobOwner>();
        services.AddSingleton<DeadLetterEditor>();
        services.AddSingleton<ReplayJobSignal>();
        services.AddSingleton<OperationsMetrics>();
        services.AddSingleton<DeadlineBoard>();
        services.AddSingleton<HubReadiness>();
        services.AddSingleton<QueueMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueMonitor>());
        services.AddHostedService<ReplayJobRunner>();

        services.AddTransient<ReadOverviewOnHttp>();
        services.AddTransient<ListQueuesOnHttp>();
        services.AddTransient<ListDeadLettersOnHttp>();
        services.AddTransient<ReadDeadLetterOnHttp>();
        services.AddTransient<EditDeadLetterOnHttp>();
        services.AddTransient<StartReplayOnHttp>();
        services.AddTransient<ListReplaysOnHttp>();
        services.AddTransient<ReadReplayOnHttp>();
        services.AddTransient<CancelReplayOnHttp>();
        services.AddTransient<ReadAuditLogOnHttp>();
        services.AddTransient<ReadDeadlinesOnHttp>();
        services.AddTransient<ReadConnectorsOnHttp>();
        services.AddTransient<CheckReadinessOnHttp>();
        return services;
    }

    public static WebApplication MapHubFunctions(this WebApplication app)
    {
        DescribeCallerOnHttp.Map(app);
        VerifyIdentityOnHttp.Map(app);
        ListIdentityLookupsOnHttp.Map(app);
        ReceivePortalWebhookOnHttp.Map(app);
        PullDossiersOnHttp.Map(app);
        AcknowledgeDossierOnHttp.Map(app);
        ReceiveDepartmentStatusOnHttp.Map(app);
        ReadTimelineOnHttp.Map(app);
        ReadOverviewOnHttp.Map(app);
        ListQueuesOnHttp.Map(app);
        ListDeadLettersOnHttp.Map(app);
        ReadDeadLetterOnHttp.Map(app);
        EditDeadLetterOnHttp.Map(app);
        StartReplayOnHttp.Map(app);
        ListReplaysOnHttp.Map(app);
        ReadReplayOnHttp.Map(app);
        CancelReplayOnHttp.Map(app);
        ReadAuditLogOnHttp.Map(app);
        ReadDeadlinesOnHttp.Map(app);
        ReadConnectorsOnHttp.Map(app);
        CheckLivenessOnHttp.Map(app);
        CheckReadinessOnHttp.Map(app);
        OpsPage.Map(app);
        app.MapAuditFunctions();
        return app;
    }
}
