using IntegrationHub.Runtime;
using IntegrationHub.Runtime.TestHost;
using Microsoft.Extensions.Hosting;

// Settings come from the environment: Messaging__Transport, Messaging__DatabasePath, TestWork__Queue, ...
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMessaging(builder.Configuration);
builder.Services.AddTestWork(builder.Configuration);
await builder.Build().RunAsync();
