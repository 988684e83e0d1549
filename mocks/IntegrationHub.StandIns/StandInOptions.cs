namespace IntegrationHub.StandIns;

/// <summary>How a <see cref="StandInServer"/> starts.</summary>
public sealed class StandInOptions
{
    /// <summary>The loopback port to listen on. <value>Default 0: a free port.</value></summary>
    public int Port { get; set; }

    /// <summary>
    /// The <c>mocks</c> folder holding <c>data/</c> and <c>__files/</c>.
    /// <value>Default: the first <c>mocks</c> folder with <c>data/citizens.json</c> above the program.</value>
    /// </summary>
    public string? MocksFolder { get; set; }

    /// <summary>
    /// The clock of the sector systems' receipts and status times.
    /// <value>Default: <see cref="TimeProvider.System"/>.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Serve WireMock.Net's admin API at <c>/__admin</c> (mappings, requests), for a developer who
    /// adds a case by hand to a running stand-in. <value>Default false.</value>
    /// </summary>
    public bool AdminInterface { get; set; }
}
