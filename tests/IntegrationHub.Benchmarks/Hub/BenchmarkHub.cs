using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IntegrationHub.Core.Messaging;
using IntegrationHub.Runtime;
using IntegrationHub.Runtime.Functions;
using IntegrationHub.Schemas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Benchmarks;

/// <summary>The benchmark's message: about 1 KiB of JSON.</summary>
public sealed record BenchmarkMessage(int Number, long SentAt, string Payload);

/// <summary>Counts the messages the function was given, and how long each took from send to function.</summary>
internal sealed class Countdown(int expected)
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<double> latencies = new(expected);
    private int remaining = expected;

    public Task Done => done.Task;

    public IReadOnlyList<double> LatenciesMs
    {
        get
        {
            lock (latencies)
            {
                return [.. latencies];
            }
        }
    }

    public void Signal(BenchmarkMessage message)
    {
        var latency = Stopwatch.GetElapsedTime(message.SentAt).TotalMilliseconds;
        lock (latencies)
        {
            latencies.Add(latency);
        }

        if (Interlocked.Decrement(ref remaining) == 0)
        {
            done.TrySetResult();
        }
    }
}

/// <summary>The function under measurement: reads the message (the runtime deserializes it) and counts it.</summary>
internal sealed class CountMessageOnQueue(Countdown countdown) : IQueueFunction<BenchmarkMessage>
{
    public Task RunAsync(BenchmarkMessage message, QueueFunctionContext context, CancellationToken cancellationToken)
    {
        countdown.Signal(message);
        return Task.CompletedTask;
    }
}

/// <summary>A hub host as the function host builds it, with one counting function.</summary>
internal sealed class BenchmarkHub : IAsyncDisposable
{
    /// <summary>Messages the function runs at once.</summary>
    public const int Concurrency = 16;

    /// <summary>Messages received ahead; with <see cref="Concurrency"/>, what a consumer may hold unsettled (the raw consumers get the same).</summary>
    public const int Prefetch = 240;

    private static readonly string HostJson = $$"""
        {
          "version": "2.0",
          "extensions": { "serviceBus": { "maxConcurrentCalls": {{Concurrency}}, "prefetchCount": {{Prefetch}}, "autoCompleteMessages": true } }
        }
        """;

    private readonly IHost host;
    private readonly string folder;

    private BenchmarkHub(IHost host, string folder, Countdown countdown)
    {
        this.host = host;
        this.folder = folder;
        Countdown = countdown;
    }

    public Countdown Countdown { get; }

#if HUB_QUEUE_SENDER
    public IQueueSender Client => host.Services.GetRequiredService<IQueueSender>();
#else
    public IQueueClient Client => host.Services.GetRequiredService<IQueueClient>();
#endif

    public static async Task<BenchmarkHub> StartAsync(string transport, string queue, int expected)
    {
        var folder = Directory.CreateTempSubdirectory("hub-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "host.json"), HostJson);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:DatabasePath"] = Path.Combine(folder, "hub.db"),
            ["Messaging:HostJsonPath"] = Path.Combine(folder, "host.json"),
        };
        SideSettings.Transport(settings, transport);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        var countdown = new Countdown(expected);
        builder.Services.AddSingleton(countdown);
        builder.Services.AddMessaging(builder.Configuration);
        builder.Services.AddQueueFunction<BenchmarkMessage, CountMessageOnQueue>(queue);
        var host = builder.Build();
        await host.Services.GetRequiredService<IQueueAdmin>().EnsureQueueAsync(queue, CancellationToken.None);
        await host.StartAsync();
        return new BenchmarkHub(host, folder, countdown);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A message of 1 KiB with its number and the time it is sent.</summary>
    public static OutgoingMessage Message(int number)
    {
        var head = JsonSerializer.SerializeToUtf8Bytes(new BenchmarkMessage(number, Stopwatch.GetTimestamp(), ""), HubJson.Options);
        var payload = new string('x', Math.Max(0, SideSettings.MessageSize - head.Length));
        var body = JsonSerializer.SerializeToUtf8Bytes(new BenchmarkMessage(number, Stopwatch.GetTimestamp(), payload), HubJson.Options);
        return new OutgoingMessage { MessageId = $"bench:{number}", Body = body };
    }

    public static byte[] RawBody() => Encoding.UTF8.GetBytes(new string('x', SideSettings.MessageSize));
}
