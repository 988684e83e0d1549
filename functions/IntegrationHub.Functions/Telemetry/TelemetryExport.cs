using IntegrationHub.Connectors;
using IntegrationHub.Functions.Operations;
using IntegrationHub.Runtime.Functions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationHub.Functions.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry export (OpenTelemetry.Extensions.Hosting) of the hub's traces (HTTP requests, queue
    /// function invocations, timer runs, dossier steps) and metrics (per function, per connector,
    /// operations) over OTLP, when <c>Telemetry:OtlpEndpoint</c> is set. Without it nothing listens to
    /// the hub's activity sources, so no span is made and no trace context goes on a message.
    /// </summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (settings.OtlpEndpoint is not { IsAbsoluteUri: true } endpoint)
        {
            return services; // unset, or refused at start by the options' validation
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithTracing(traces => traces
                .AddSource("Microsoft.AspNetCore", RuntimeTelemetry.ActivitySourceName, DossierTraces.ActivitySourceName)
                .AddOtlpExporter(otlp =>
                {
                    Configure(otlp, settings, endpoint, "v1/traces");
                    otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)settings.TracesDelay.TotalMilliseconds;
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(RuntimeTelemetry.MeterName, ConnectorTelemetry.MeterName, OperationsMetrics.MeterName, "Microsoft.AspNetCore.Hosting")
                .AddOtlpExporter((otlp, reader) =>
                {
                    Configure(otlp, settings, endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.MetricsInterval.TotalMilliseconds;
                }));
        services.AddHostedService<TelemetryExportNotice>();
        return services;
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

    /// <summary>Says at start where the hub's telemetry goes.</summary>
    private sealed class TelemetryExportNotice(IOptions<TelemetryOptions> options, ILogger<TelemetryExportNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            Log.TelemetryExporting(logger, options.Value.OtlpEndpoint!.ToString(), options.Value.OtlpProtocol);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
