using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Audit;

namespace IntegrationHub.Functions.Audit;

/// <summary>The audit chains: the key that signs checkpoints, when it signs, and how often entries are sealed.</summary>
internal sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>Whether the sealer chains and signs the logs. Off only to measure what chaining costs.</summary>
    /// <value>Default true.</value>
    public bool Chaining { get; set; } = true;

    /// <summary>The PEM file (<c>PRIVATE KEY</c> or <c>EC PRIVATE KEY</c>) of the ECDSA P-256 key that signs new checkpoints.</summary>
    /// <value>Required outside Development; in Development a key is made at first use in <see cref="DevelopmentKeysDirectory"/>.</value>
    public string? SigningKeyPath { get; set; }

    /// <summary>PEM files of earlier signing keys (public or private; only the public half is used), published so that their checkpoints stay verifiable.</summary>
    /// <value>Default none. In Development the retired development keys are added.</value>
    public string[]? RetiredKeyPaths { get; set; }

    /// <summary>Where the development audit key lives (Development only).</summary>
    /// <value>Default <c>.hub/dev-keys</c> below the working directory, beside the development token key.</value>
    public string DevelopmentKeysDirectory { get; set; } = Path.Combine(".hub", "dev-keys");

    /// <summary>How often the sealer gives newly written entries their place in their chain.</summary>
    /// <value>Default 2 seconds: the longest an entry stays unsealed when the hub is well.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Audit:SealInterval must be between 1 second and 5 minutes.")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest time a changed chain waits for a signed checkpoint.</summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Audit:CheckpointInterval must be between 1 second and 1 day.")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most entries a chain gains before a checkpoint is signed, whatever the time.</summary>
    /// <value>Default 10,000.</value>
    [Range(1, 10_000_000, ErrorMessage = "Audit:CheckpointEveryEntries must be between 1 and 10,000,000.")]
    public long CheckpointEveryEntries { get; set; } = 10_000;

    /// <summary>How often the hub verifies its own chains (the operations page shows the result); an auditor verifies independently.</summary>
    /// <value>Default 6 hours.</value>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "Audit:VerifyInterval must be between 10 seconds and 7 days.")]
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How old a checkpoint must be before retention may delete the entries it covers.</summary>
    /// <value>Default 5 years (1826 days).</value>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00", ErrorMessage = "Audit:RetentionMinimumAge must be between 0 and 100 years.")]
    public TimeSpan RetentionMinimumAge { get; set; } = TimeSpan.FromDays(1826);

    /// <summary>When to sign.</summary>
    public CheckpointPolicy Policy => new(CheckpointInterval, CheckpointEveryEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SigningKeyPath))
        {
            yield return new ValidationResult("Audit:SigningKeyPath is required: the PEM file of the ECDSA P-256 key that signs audit checkpoints (outside Development it is never made up).", [nameof(SigningKeyPath)]);
            yield break;
        }

        if (AuditKeyFiles.Problem(SigningKeyPath, requirePrivate: true) is { } problem)
        {
            yield return new ValidationResult($"Audit:SigningKeyPath: {problem}", [nameof(SigningKeyPath)]);
        }

        foreach (var (path, index) in (RetiredKeyPaths ?? []).Select((p, i) => (p, i)))
        {
            if (AuditKeyFiles.Problem(path, requirePrivate: false) is { } retired)
            {
                yield return new ValidationResult($"Audit:RetiredKeyPaths:{index}: {retired}", [nameof(RetiredKeyPaths)]);
            }
        }
    }
}
