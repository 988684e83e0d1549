using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Functions.Operations;

/// <summary>Settings of the operations API, its replay jobs and its queue sampling.</summary>
internal sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>Replays per second of a job that does not say (<c>maxPerSecond</c>).</summary>
    /// <value>Default 10.</value>
    [Range(1, 1000, ErrorMessage = "Operations:DefaultMaxPerSecond must be between 1 and 1000.")]
    public int DefaultMaxPerSecond { get; set; } = 10;

    /// <summary>Dead letters read from one dead-letter queue when listing or selecting; more are left for a later pass.</summary>
    /// <value>Default 10,000.</value>
    [Range(100, 1_000_000, ErrorMessage = "Operations:MaxDeadLettersPerQueue must be between 100 and 1,000,000.")]
    public int MaxDeadLettersPerQueue { get; set; } = 10_000;

    /// <summary>How often queue statistics are sampled for rates (and the operations metrics).</summary>
    /// <value>Default 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Operations:SampleInterval must be between 1 second and 10 minutes.")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The span over which rates are computed from the samples.</summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Operations:RateWindow must be between 10 seconds and 1 hour.")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a host holds a replay job before another may resume it (after a crash).</summary>
    /// <value>Default 30 seconds; a host that stops lets go at once.</value>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Operations:JobLease must be between 5 seconds and 10 minutes.")]
    public TimeSpan JobLease { get; set; } = TimeSpan.FromSeconds(30);
}
