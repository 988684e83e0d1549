using IntegrationHub.Functions;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Cli;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Reference;
using IntegrationHub.Functions.Security;
using IntegrationHub.Functions.Telemetry;
using IntegrationHub.Runtime;
using IntegrationHub.Runtime.Store.Flows;

if (HubCommandLine.Handles(args))
{
    return await HubCommandLine.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services
    .AddHubTelemetry(builder.Configuration)
    .AddReferenceData()
    .AddMessaging(builder.Configuration)
    .AddHubStore()
    .AddConnectors(builder.Configuration)
    .AddHubSecurity(builder.Environment)
    .AddRequestHygiene()
    .AddIdentityChecks()
    .AddHubFlows()
    .AddOperations()
    .AddAuditTrail(builder.Configuration, builder.Environment);

return await HubStartup.RunAsync(builder, app => app.UseHubPipeline().MapHubFunctions(), Console.Error);
