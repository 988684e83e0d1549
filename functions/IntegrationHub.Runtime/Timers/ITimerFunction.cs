namespace IntegrationHub.Runtime.Timers;

/// <summary>
/// A timer function: run on a fixed schedule by one hub instance at a time (a lease in the hub
/// database decides which). Register it with
/// <see cref="Functions.FunctionServiceCollectionExtensions.AddTimerFunction{TFunction}(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, TimeSpan)"/>.
/// </summary>
public interface ITimerFunction
{
    /// <summary>Runs one occurrence.</summary>
    Task RunAsync(TimerFunctionContext context, CancellationToken cancellationToken);
}

/// <summary>The occurrence being run.</summary>
/// <param name="Name">The timer function's name.</param>
/// <param name="ScheduledAt">When this occurrence was due.</param>
/// <param name="LastRunAt">When the previous occurrence ran, by any instance; null the first time.</param>
public sealed record TimerFunctionContext(string Name, DateTimeOffset ScheduledAt, DateTimeOffset? LastRunAt);

/// <summary>A registered timer function.</summary>
internal sealed record TimerFunctionRegistration(string Name, TimeSpan Schedule, Type FunctionType);
