using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Functions.Security;

/// <summary>How callers prove who they are: JWTs signed by a key of a configured key set.</summary>
internal sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "Security";

    /// <summary>The signing algorithms the hub can accept.</summary>
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(StringComparer.Ordinal) { "RS256", "ES256" };

    private static readonly string[] DefaultAlgorithms = ["RS256", "ES256"];

    /// <summary>The token issuer (<c>iss</c>) the hub trusts.</summary>
    /// <value>Required.</value>
    [Required(ErrorMessage = "Security:Issuer is required: the iss claim of the tokens the hub accepts.")]
    public string Issuer { get; set; } = "";

    /// <summary>The audience (<c>aud</c>) tokens must be issued for.</summary>
    /// <value>Required.</value>
    [Required(ErrorMessage = "Security:Audience is required: the aud claim tokens must carry for this hub.")]
    public string Audience { get; set; } = "";

    /// <summary>A JWKS file with the signing keys; or use <see cref="JwksUrl"/>.</summary>
    /// <value>In Development, when neither is set, a local development key set is created at first run.</value>
    public string? JwksPath { get; set; }

    /// <summary>A JWKS URL with the signing keys; or use <see cref="JwksPath"/>.</summary>
    public Uri? JwksUrl { get; set; }

    /// <summary>How often the key set is read again.</summary>
    /// <value>Default 10 minutes; an unknown key id also triggers a read, at most every 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Security:JwksRefreshInterval must be between 5 seconds and 1 day.")]
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a read of <see cref="JwksUrl"/> may take before the hub gives up on it and keeps the keys it has.</summary>
    /// <value>Default 10 seconds. A request waits for it only on the first read and after a token names an unknown key id.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Security:JwksTimeout must be between 1 second and 2 minutes.")]
    public TimeSpan JwksTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The signing algorithms accepted, as configured; a configured list replaces the default.</summary>
    /// <value>Default (when unset) RS256 and ES256; only these two are supported.</value>
    /// <remarks>
    /// Null by default on purpose: the configuration binder appends to an array it finds filled, so a
    /// default written here would survive <c>Security:Algorithms = ["ES256"]</c>. For the same reason
    /// appsettings.json lists none: configuration sources merge arrays by index, so a shorter list in a
    /// later source would keep the earlier list's tail.
    /// </remarks>
    public string[]? Algorithms { get; set; }

    /// <summary>The algorithms in force: the configured list, or the default.</summary>
    public IReadOnlyList<string> AcceptedAlgorithms => Algorithms is { Length: > 0 } configured ? [.. configured.Distinct(StringComparer.Ordinal)] : DefaultAlgorithms;

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>.</summary>
    /// <value>Default 30 seconds; at most 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Security:ClockSkew must be between 0 and 5 minutes.")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a token that passed every check is remembered, so that the same token is not verified
    /// again on each call; its lifetime is still checked every time.
    /// </summary>
    /// <value>Default 5 minutes; 0 turns it off. A key removed from the key set stops being trusted after at most this long.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Security:ValidatedTokenMemory must be between 0 and 1 hour.")]
    public TimeSpan ValidatedTokenMemory { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the development key set lives (Development only).</summary>
    /// <value>Default <c>.hub/dev-keys</c> below the working directory.</value>
    public string DevelopmentKeysDirectory { get; set; } = Path.Combine(".hub", "dev-keys");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(JwksPath) == (JwksUrl is null))
        {
            yield return new ValidationResult("Set exactly one of Security:JwksPath (a JWKS file) and Security:JwksUrl (a JWKS URL).", [nameof(JwksPath), nameof(JwksUrl)]);
        }

        if (JwksUrl is { } url && url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            yield return new ValidationResult($"Security:JwksUrl must use https (got {url.Scheme}); plain http is accepted only on loopback.", [nameof(JwksUrl)]);
        }

        foreach (var algorithm in AcceptedAlgorithms.Where(a => !SupportedAlgorithms.Contains(a)))
        {
            yield return new ValidationResult($"Security:Algorithms lists '{algorithm}'; only RS256 and ES256 are accepted.", [nameof(Algorithms)]);
        }
    }
}
