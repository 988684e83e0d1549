using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Functions.Telemetry;

/// <summary>Where the hub's traces and metrics go (OpenTelemetry over OTLP); nowhere unless an endpoint is set.</summary>
internal sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>The OTLP collector, e.g. <c>http://127.0.0.1:4318</c>.</summary>
    /// <value>Default none: nothing is exported, and no trace context is put on messages.</value>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol: <c>http/protobuf</c> (the signal paths <c>v1/traces</c> and <c>v1/metrics</c> are added to the endpoint) or <c>grpc</c>.</summary>
    /// <value>Default <c>http/protobuf</c>.</value>
    [RegularExpression("^(http/protobuf|grpc)$", ErrorMessage = "Telemetry:OtlpProtocol must be http/protobuf or grpc.")]
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>The service name the hub reports (<c>service.name</c>).</summary>
    /// <value>Default <c>integrationhub</c>.</value>
    [Required(ErrorMessage = "Telemetry:ServiceName must not be empty.")]
    public string ServiceName { get; set; } = "integrationhub";

    /// <summary>How often metrics are exported.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Telemetry:MetricsInterval must be between 1 second and 10 minutes.")]
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long finished spans wait to be exported in a batch.</summary>
    /// <value>Default 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "Telemetry:TracesDelay must be between 100 ms and 1 minute.")]
    public TimeSpan TracesDelay { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Telemetry:OtlpEndpoint must be an absolute http or https URL (got '{endpoint}').", [nameof(OtlpEndpoint)]);
        }
    }
}
