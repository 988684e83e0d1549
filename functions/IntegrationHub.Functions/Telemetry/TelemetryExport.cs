using IntegrationHub.Connectors;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Runtime.Functions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationHub.Functions.Telemetry;

/// <summary>
/// Exports the hub's traces (HTTP requests, queue function invocations, timer runs, dossier steps)
/// and metrics (per function, per connector, operations) over OTLP while the host runs, when
/// <c>Telemetry:OtlpEndpoint</c> is set.
/// </summary>
internal sealed class TelemetryExport(IOptions<TelemetryOptions> options, ILogger<TelemetryExport> logger) : IHostedService, IDisposable
{
    private TracerProvider? traces;
    private MeterProvider? metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName);
        traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.AspNetCore", RuntimeTelemetry.ActivitySourceName, DossierTraces.ActivitySourceName)
            .AddOtlpExporter(otlp =>
            {
                Configure(otlp, settings, endpoint, "v1/traces");
                otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)settings.TracesDelay.TotalMilliseconds;
            })
            .Build();
        metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(RuntimeTelemetry.MeterName, ConnectorTelemetry.MeterName, OperationsMetrics.MeterName, "Microsoft.AspNetCore.Hosting")
            .AddOtlpExporter((otlp, reader) =>
            {
                Configure(otlp, settings, endpoint, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.MetricsInterval.TotalMilliseconds;
            })
            .Build();
        Log.TelemetryExporting(logger, endpoint.ToString(), settings.OtlpProtocol);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // What was recorded before the stop is sent before the host exits.
        traces?.ForceFlush(5000);
        metrics?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        traces?.Dispose();
        metrics?.Dispose();
    }

    private static void Configure(OtlpExporterOptions otlp, TelemetryOptions settings, Uri endpoint, string signalPath)
    {
        if (settings.OtlpProtocol == "grpc")
        {
            otlp.Protocol = OtlpExportProtocol.Grpc;
            otlp.Endpoint = endpoint;
        }
        else
        {
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
            otlp.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
    }
}

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>OpenTelemetry export of the hub's traces and metrics, when <c>Telemetry:OtlpEndpoint</c> is set.</summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<TelemetryExport>();
        return services;
    }
}
