namespace IntegrationHub.Benchmarks;

/// <summary>
/// How the driver and a hub side talk, line by line. The side writes <see cref="Ready"/> once it can
/// take rounds; the driver writes <c>ROUND &lt;count&gt;</c>; the side prepares the round (a fresh hub,
/// its messages), writes <see cref="Start"/> as its clock starts, does the work and writes
/// <c>END &lt;seconds&gt; &lt;JIT seconds&gt;</c> (the time the runtime spent compiling methods during
/// the round). The driver reads every process's CPU time at START and at END. The side exits when its
/// standard input closes. A scale instance writes <c>JIT &lt;seconds&gt;</c>, the runtime's compiling
/// time so far, every half second. Every protocol line starts with <see cref="Prefix"/>; anything
/// else on standard output is the hub's own output.
/// </summary>
internal static class SideProtocol
{
    public const string Prefix = "@bench ";

    public const string Ready = Prefix + "READY";

    public const string Start = Prefix + "START";

    public const string End = Prefix + "END";

    public const string Error = Prefix + "ERROR";

    public const string Jit = Prefix + "JIT";

    public const string Round = "ROUND";

    /// <summary>The argument that makes the program a hub side: <c>--side &lt;scenario&gt;</c>.</summary>
    public const string SideArgument = "--side";

    /// <summary>The argument that makes the program one hub instance of a scale scenario.</summary>
    public const string InstanceArgument = "--instance";
}
