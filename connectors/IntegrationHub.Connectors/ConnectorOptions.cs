using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Connectors;

/// <summary>
/// What every connector is configured with: where the system is, how the hub authenticates to it
/// (OAuth2 client credentials) and how carefully it is called (timeouts, retry, circuit breaker,
/// concurrency). Each system has its own section under <c>Connectors</c>.
/// </summary>
public abstract class ConnectorOptions : IValidatableObject
{
    /// <summary>The base address of the system's API; every call's path is relative to it.</summary>
    /// <value>Required; an absolute http(s) address, e.g. <c>https://lgsp.hanoi.gov.vn/dvcqg/</c>.</value>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>The system's OAuth2 token endpoint (client credentials grant).</summary>
    /// <value>Required; an absolute http(s) address.</value>
    [Required]
    public Uri? TokenEndpoint { get; set; }

    /// <summary>The hub's client id at the token endpoint.</summary>
    /// <value>Required.</value>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>The hub's client secret at the token endpoint; keep it out of files (environment or a secret store).</summary>
    /// <value>Required.</value>
    [Required]
    public string ClientSecret { get; set; } = "";

    /// <summary>The OAuth2 scope to ask for.</summary>
    /// <value>Default none (the token endpoint's default scope).</value>
    public string? Scope { get; set; }

    /// <summary>A cached token is replaced this long before it expires (at most half its lifetime).</summary>
    /// <value>Default 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshBefore { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt (one HTTP request and its reply) may take.</summary>
    /// <value>Default 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a call may take in all: waiting for a concurrency slot, every attempt and every
    /// wait between attempts.
    /// </summary>
    /// <value>Default 60 seconds; not less than <see cref="AttemptTimeout"/>.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retry of transient failures.</summary>
    [ValidateObjectMembers]
    public RetrySettings Retry { get; set; } = new();

    /// <summary>The circuit breaker.</summary>
    [ValidateObjectMembers]
    public BreakerSettings Breaker { get; set; } = new();

    /// <summary>How many calls may be in flight to the system at once.</summary>
    [ValidateObjectMembers]
    public ConcurrencySettings Concurrency { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (uri, name) in new[] { (BaseUrl, nameof(BaseUrl)), (TokenEndpoint, nameof(TokenEndpoint)) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                yield return new ValidationResult($"{name} must be an absolute http or https address; '{uri}' is not.", [name]);
            }
        }

        if (AttemptTimeout > TotalTimeout)
        {
            yield return new ValidationResult($"AttemptTimeout ({AttemptTimeout}) must not exceed TotalTimeout ({TotalTimeout}).", [nameof(AttemptTimeout), nameof(TotalTimeout)]);
        }
    }

    /// <summary>The base address with a trailing slash, so that relative paths keep its last segment.</summary>
    internal Uri BaseAddress => BaseUrl!.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/");
}

/// <summary>
/// Retry of transient failures (5xx, 408, 429, connection errors, attempt timeouts) with exponential
/// backoff and jitter, honouring <c>Retry-After</c>. A call that may already have been applied (a
/// POST that was sent and then timed out or got a 5xx) is retried only when it carries an
/// idempotency key.
/// </summary>
public sealed class RetrySettings
{
    /// <summary>Retries after the first attempt; 0 turns retry off.</summary>
    /// <value>Default 3.</value>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; each later one doubles, with jitter.</summary>
    /// <value>Default 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay.</summary>
    /// <value>Default 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The longest <c>Retry-After</c> the hub waits for; a system asking for a longer pause is not
    /// retried (the call fails as unavailable and the caller tries again later).
    /// </summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The circuit breaker: when at least <see cref="FailureRatio"/> of the calls in
/// <see cref="SamplingDuration"/> fail transiently (and there were at least
/// <see cref="MinimumThroughput"/>), calls fail at once for <see cref="BreakDuration"/>; then one
/// probe is let through, and its outcome closes or reopens the circuit.
/// </summary>
public sealed class BreakerSettings
{
    /// <summary>The share of failed calls that opens the circuit.</summary>
    /// <value>Default 0.5.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The fewest calls in the sampling window before the circuit may open.</summary>
    /// <value>Default 10.</value>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The window the failure ratio is measured over.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a probe is let through.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How many calls may be in flight to one system at once, so that the hub never floods it.</summary>
public sealed class ConcurrencySettings
{
    /// <summary>Calls in flight at once (a call keeps its slot through its retries).</summary>
    /// <value>Default 8.</value>
    [Range(1, 1000)]
    public int MaxConcurrent { get; set; } = 8;

    /// <summary>Calls waiting for a slot, oldest first; one more is rejected at once as unavailable.</summary>
    /// <value>Default 100.</value>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 100;
}
