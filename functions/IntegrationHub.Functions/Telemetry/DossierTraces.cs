using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Functions.Telemetry;

/// <summary>
/// One trace per dossier. Queue hops continue the trace their message carries (the runtime starts
/// each invocation under its <c>traceparent</c>); the steps that start outside a queue hop (intake of a
/// submission, a department's status report, a deadline alert) start a span in the dossier's own
/// trace, whose id is derived from the portal code, and link to what triggered them (the timer run
/// or the HTTP request). An operator can therefore find a dossier's trace from its code alone.
/// </summary>
internal static class DossierTraces
{
    public const string ActivitySourceName = "IntegrationHub.Functions";

    private static readonly ActivitySource Source = new(ActivitySourceName);
    private static readonly AsyncLocal<string?> Starting = new();

    // The runtime's hook for the id of a new root activity: the dossier's id while one of its steps
    // starts, whatever was there before (or a random id) otherwise.
    static DossierTraces()
    {
        var previous = Activity.TraceIdGenerator;
        Activity.TraceIdGenerator = () => Starting.Value is { } portalCode ? TraceIdOf(portalCode) : previous?.Invoke() ?? ActivityTraceId.CreateRandom();
    }

    /// <summary>The trace id of a dossier: the first 16 bytes of SHA-256 over its portal code.</summary>
    public static ActivityTraceId TraceIdOf(string portalCode) =>
        ActivityTraceId.CreateFromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(portalCode)).AsSpan(0, 16));

    /// <summary>
    /// Starts a step of a dossier outside a queue hop; the messages it sends carry the dossier's trace.
    /// Dispose it to end the step and return to the trace of the caller.
    /// </summary>
    public static DossierStep Start(string step, string portalCode)
    {
        if (!Source.HasListeners())
        {
            return default;
        }

        var caller = Activity.Current;
        Activity.Current = null;
        Starting.Value = portalCode;
        Activity? activity;
        try
        {
            activity = Source.StartActivity(
                step,
                ActivityKind.Internal,
                parentContext: default,
                tags: [new("dossier.portal_code", portalCode)],
                links: caller is null ? null : [new ActivityLink(caller.Context)]);
        }
        finally
        {
            Starting.Value = null;
        }

        return new DossierStep(activity, caller);
    }
}

/// <summary>A dossier's step under way; disposing ends it and makes the caller's activity current again.</summary>
internal readonly struct DossierStep(Activity? activity, Activity? caller) : IDisposable
{
    private readonly bool started = true;

    public void Dispose()
    {
        if (!started)
        {
            return;
        }

        activity?.Dispose();
        Activity.Current = caller;
    }
}
