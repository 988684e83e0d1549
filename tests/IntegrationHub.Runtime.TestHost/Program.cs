using IntegrationHub.Runtime;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.TestHost;
using Microsoft.Extensions.Hosting;

// Settings come from the environment (Messaging__Transport, Messaging__DatabasePath, ...).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMessaging(builder.Configuration);
builder.Services.AddHubMigrations(RecordWorkOnQueue.Migration);
builder.Services.AddQueueFunction<WorkItem, RecordWorkOnQueue>(RecordWorkOnQueue.Queue, options => options.PrefetchCount = 32);
await builder.Build().RunAsync();
