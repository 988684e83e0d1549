using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using IntegrationHub.Connectors;
using IntegrationHub.Core.Gateways;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Connectors.Tests;

/// <summary>
/// The connectors as a host registers them (<c>AddConnectors</c>), pointed at the
/// stand-ins through one test's scope, with short retry delays, and with the logs and the
/// <c>IntegrationHub.Connectors</c> counters captured.
/// </summary>
internal sealed class ConnectorHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> measurements = new();

    private ConnectorHost(ServiceProvider provider, LogCapture logs)
    {
        this.provider = provider;
        Logs = logs;
        var meters = provider.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this host's meter: parallel tests have their own.
            if (instrument.Meter.Name == ConnectorTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
    }

    public LogCapture Logs { get; }

    public IPortalGateway Portal => provider.GetRequiredService<IPortalGateway>();

    public IPopulationRegistry Population => provider.GetRequiredService<IPopulationRegistry>();

    public ISectorGateways Sectors => provider.GetRequiredService<ISectorGateways>();

    public IConnectorCircuits Circuits => provider.GetRequiredService<IConnectorCircuits>();

    public ConnectorCircuit Circuit(string system) => Circuits.Current.Single(c => c.System == system);

    /// <summary>The sum of a counter's measurements whose tags include all of <paramref name="tags"/>.</summary>
    public long Count(string instrument, params (string Key, string Value)[] tags) =>
        measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    /// <summary>
    /// A host whose requests carry <paramref name="scope"/>'s header; <paramref name="configure"/>
    /// may change any setting (keys as in appsettings, e.g. <c>Connectors:Portal:Retry:MaxRetries</c>).
    /// </summary>
    public static ConnectorHost Create(StandInScope scope, Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var settings = StandInData.ConnectorSettings(scope.Url);
        foreach (var section in new[] { "Connectors:Portal", "Connectors:Population", "Connectors:Sectors:Land", "Connectors:Sectors:Business" })
        {
            // Short waits, so that retry tests are quick; a breaker that does not open unless a test wants it to.
            settings[$"{section}:AttemptTimeout"] = "00:00:05";
            settings[$"{section}:TotalTimeout"] = "00:00:20";
            settings[$"{section}:Retry:BaseDelay"] = "00:00:00.010";
            settings[$"{section}:Retry:MaxDelay"] = "00:00:00.050";
            settings[$"{section}:Retry:MaxRetryAfter"] = "00:00:02";
            settings[$"{section}:Breaker:MinimumThroughput"] = "1000";
        }

        configure?.Invoke(settings);
        return Create(scope, settings, time);
    }

    /// <summary>A host with exactly these settings (for tests of the settings themselves).</summary>
    public static ConnectorHost Create(StandInScope? scope, IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        if (scope is not null)
        {
            services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(scope.CreateHandler));
        }

        services.AddConnectors(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // What the host does when it starts: every connector setting is checked.
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException)
        {
            provider.Dispose();
            throw;
        }

        return new ConnectorHost(provider, logs);
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await provider.DisposeAsync();
    }
}

/// <summary>Every log line the connectors write, with its event id and rendered message.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> lines = new();

    public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Lines => lines.ToList();

    public string All => string.Join('\n', lines.Select(l => l.Message));

    public ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(int, LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
