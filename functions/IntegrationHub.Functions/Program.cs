using IntegrationHub.Functions;
using IntegrationHub.Functions.Cli;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Reference;
using IntegrationHub.Functions.Security;

if (HubCommandLine.Handles(args))
{
    return await HubCommandLine.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services
    .AddSingleton(TimeProvider.System)
    .AddReferenceData()
    .AddHubSecurity(builder.Environment)
    .AddRequestHygiene()
    .AddIdentityChecks();

var app = builder.Build();
app.UseHubPipeline();
app.MapHubFunctions();
await app.RunAsync();
return 0;
