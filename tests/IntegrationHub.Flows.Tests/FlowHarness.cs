using System.Text.Json;
using IntegrationHub.Core.Gateways;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Core.Routing;
using IntegrationHub.Core.Store;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Runtime;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Store.Flows;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Flows.Tests;

/// <summary>
/// The hub's flow services as the host registers them, on a fresh embedded store in a folder of the
/// test's own, with a fake clock and the national and sector systems in memory. Nothing runs in the
/// background: a test calls a service and reads what it did from the store, the queues and the
/// systems in memory.
/// </summary>
internal sealed class FlowHarness : IAsyncDisposable
{
    /// <summary>When the tests start: a working Thursday morning in Hanoi, a little after the sample submissions.</summary>
    public static readonly DateTimeOffset Start = ReferenceDataFiles.Vn(2024, 12, 5, 10, 0);

    private readonly string folder;
    private readonly IHost host;

    private FlowHarness(string folder, IHost host, FakeTimeProvider clock)
    {
        this.folder = folder;
        this.host = host;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryPortal Portal => Get<InMemoryPortal>();

    public InMemoryPopulation Population => Get<InMemoryPopulation>();

    public InMemorySectors Sectors => Get<InMemorySectors>();

    public IDossierRegistry Dossiers => Get<IDossierRegistry>();

    public QueuePort Queues => QueuePort.Of(host.Services);

    public static async Task<FlowHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("hub-flows-").FullName;
        var clock = new FakeTimeProvider(Start);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db"),
            ["Flows:WebhookSecret"] = HubSettings.WebhookSecret,
            ["DossierCodes:AgencyCode"] = HubSettings.CityAgencyCode,
            ["Identity:AuditKey"] = Convert.ToBase64String(new byte[32]),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton<TimeProvider>(clock);
        services.AddMessaging(builder.Configuration).AddHubStore().AddIdentityChecks().AddHubFlows().AddOperations();
        services.AddSingleton(new Reloadable<ReferenceData>(ReferenceDataFiles.Default));
        services.AddSingleton<InMemoryPortal>().AddSingleton<IPortalGateway>(sp => sp.GetRequiredService<InMemoryPortal>());
        services.AddSingleton<InMemoryPopulation>().AddSingleton<IPopulationRegistry>(sp => sp.GetRequiredService<InMemoryPopulation>());
        services.AddSingleton<InMemorySectors>().AddSingleton<ISectorGateways>(sp => sp.GetRequiredService<InMemorySectors>());
        var harness = new FlowHarness(folder, builder.Build(), clock);
        await harness.Get<MessageSchemas>().LoadAsync(CancellationToken.None);
        await harness.Get<QueueDeclarations>().StartAsync(CancellationToken.None);
        return harness;
    }

    public T Get<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    /// <summary>The message ids waiting in <paramref name="queue"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> MessageIdsAsync(string queue) =>
        [.. (await Queues.PeekAsync(queue, 0, 1000, CancellationToken.None)).Select(m => m.MessageId)];

    /// <summary>The bodies of the messages waiting in <paramref name="queue"/>, read as <typeparamref name="T"/>.</summary>
    public async Task<IReadOnlyList<T>> MessagesAsync<T>(string queue) =>
        [.. (await Queues.PeekAsync(queue, 0, 1000, CancellationToken.None)).Select(m => JsonSerializer.Deserialize<T>(m.Body.Span, HubJson.Options)!)];

    /// <summary>The dead letters of <paramref name="queue"/>.</summary>
    public Task<IReadOnlyList<ReceivedMessage>> DeadLettersAsync(string queue) =>
        Queues.PeekAsync(QueueNames.DeadLetterOf(queue), 0, 1000, CancellationToken.None);

    /// <summary>What the dossier's timeline says, oldest first.</summary>
    public async Task<IReadOnlyList<string>> TimelineAsync(string portalCode) =>
        [.. (await Dossiers.TimelineAsync(portalCode, CancellationToken.None)).Select(s => s.Action)];

    /// <summary>A number the hub database answers <paramref name="sql"/> with.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Get<Runtime.Store.IHubDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Takes the first message of <paramref name="queue"/> (completing it) and reads it as <typeparamref name="T"/>, with its id.</summary>
    public async Task<(T Message, string MessageId)> TakeAsync<T>(string queue)
    {
        var (message, received) = await TakeReceivedAsync<T>(queue);
        return (message, received.MessageId);
    }

    /// <summary>Takes the first message of <paramref name="queue"/> (completing it) and reads it as <typeparamref name="T"/>, with the message received.</summary>
    private async Task<(T Message, ReceivedMessage Received)> TakeReceivedAsync<T>(string queue)
    {
        var received = Assert.Single(await Queues.ReceiveAsync(queue, 1, TimeSpan.Zero, CancellationToken.None));
        await Queues.CompleteAsync(received, CancellationToken.None);
        return (JsonSerializer.Deserialize<T>(received.Body.Span, HubJson.Options)!, received);
    }

    /// <summary>
    /// Runs a step on the first message of <paramref name="queue"/> and settles it as the runtime does: a
    /// refused message goes to the dead-letter queue with the step's reason, any other is completed.
    /// </summary>
    public Task<StepOutcome> RunAsync<T>(string queue, Func<T, string, CancellationToken, Task<StepOutcome>> step) =>
        RunAsync<T>(queue, (body, received, token) => step(body, received.MessageId, token));

    /// <summary>Runs a step as <see cref="RunAsync{T}(string, Func{T, string, CancellationToken, Task{StepOutcome}})"/> does, the step given the whole message received.</summary>
    public async Task<StepOutcome> RunAsync<T>(string queue, Func<T, ReceivedMessage, CancellationToken, Task<StepOutcome>> step)
    {
        var received = Assert.Single(await Queues.ReceiveAsync(queue, 1, TimeSpan.Zero, CancellationToken.None));
        var outcome = await step(JsonSerializer.Deserialize<T>(received.Body.Span, HubJson.Options)!, received, CancellationToken.None);
        await (outcome.IsRefused
            ? Queues.DeadLetterAsync(received, outcome.Refusal!, outcome.Description, CancellationToken.None)
            : Queues.CompleteAsync(received, CancellationToken.None));
        return outcome;
    }

    /// <summary>A submission taken in by intake, verified and routed (or refused) through the queues; what routing sent waits in its queues.</summary>
    public async Task<StepOutcome> ThroughRoutingAsync(SubmissionReceived submission)
    {
        var applicant = submission.Applicant;
        Population.Knows(applicant.IdNumber, applicant.Name, applicant.BirthDate!.Value);
        await Get<Functions.Intake.IntakeService>().AcceptAsync([new PortalSubmission { PortalCode = submission.PortalCode, Submission = submission, RawJson = "{}" }], null, CancellationToken.None);
        var verify = Get<Functions.Identity.ApplicantVerificationService>();
        await RunAsync<SubmissionReceived>(HubQueues.Intake, (received, message, token) => verify.VerifyAsync(received, message.MessageId, FlowMessages.ReceivedAt(message.ApplicationProperties), token));
        return await RunAsync<ApplicantVerified>(HubQueues.Route, (verified, message, token) => Get<Functions.Routing.RoutingService>().RouteAsync(verified, message.MessageId, message.DeliveryCount, token));
    }

    /// <summary>A submission received and recorded by intake, as the verify step gets it: with its id and when the message says it was received.</summary>
    public async Task<(SubmissionReceived Submission, string MessageId, DateTimeOffset? ReceivedAt)> ReceivedAsync(SubmissionReceived submission)
    {
        await Get<Functions.Intake.IntakeService>().AcceptAsync([new PortalSubmission { PortalCode = submission.PortalCode, Submission = submission, RawJson = "{}" }], null, CancellationToken.None);
        var (message, received) = await TakeReceivedAsync<SubmissionReceived>(HubQueues.Intake);
        return (message, received.MessageId, FlowMessages.ReceivedAt(received.ApplicationProperties));
    }

    /// <summary>A submission received and verified, as the routing step gets it; the applicant is known to the population database.</summary>
    public async Task<(ApplicantVerified Verified, string MessageId)> VerifiedAsync(SubmissionReceived submission)
    {
        var applicant = submission.Applicant;
        Population.Knows(applicant.IdNumber, applicant.Name, applicant.BirthDate!.Value);
        var (received, messageId, receivedAt) = await ReceivedAsync(submission);
        Assert.Equal(StepOutcome.Done, await Get<Functions.Identity.ApplicantVerificationService>().VerifyAsync(received, messageId, receivedAt, CancellationToken.None));
        return await TakeAsync<ApplicantVerified>(HubQueues.Route);
    }

    /// <summary>A dossier routed to its department; the messages routing sent are left in their queues.</summary>
    public async Task<DossierRecord> RoutedAsync(SubmissionReceived submission)
    {
        Assert.Equal(StepOutcome.Done, await ThroughRoutingAsync(submission));
        return (await Dossiers.ReadAsync(submission.PortalCode, CancellationToken.None))!;
    }

    public async ValueTask DisposeAsync()
    {
        await ((IAsyncDisposable)host).DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>An operator, as a token names them.</summary>
    public static Functions.Operations.Operator Hoa { get; } = new("op-hoa", "Nguyễn Thị Hoa", "Tổ vận hành");

    /// <summary>The operator audit log, newest first.</summary>
    public Task<IReadOnlyList<Core.Operations.OperatorAction>> AuditAsync() =>
        Get<Core.Operations.IOperatorAuditLog>().ListAsync(new Core.Operations.OperatorActionFilter(null, null, null, null, null, null, null, 10), CancellationToken.None);
}
