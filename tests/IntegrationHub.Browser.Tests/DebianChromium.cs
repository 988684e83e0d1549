using Microsoft.Playwright;

namespace IntegrationHub.Browser.Tests;

/// <summary>
/// Debian's Chromium, launched headless by its path with a fresh profile and the flags this
/// machine's closed network needs (no background connections, no component updates, no sync).
/// The test command installs it (<c>scripts/chromium</c>); Playwright never downloads one.
/// </summary>
public sealed class DebianChromium : IAsyncLifetime
{
    /// <summary>The environment variable that may name another Chromium.</summary>
    public const string PathVariable = "HUB_CHROMIUM";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly string profile = Path.Combine(Path.GetTempPath(), "integrationhub-chromium-" + Guid.NewGuid().ToString("N"));
    private IPlaywright? playwright;
    private IBrowserContext? context;

    /// <summary>The browser's one context (a fresh profile): every page opened in it is a new tab with its own session storage.</summary>
    public IBrowserContext Context => context ?? throw new InvalidOperationException("Chromium is not launched.");

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable(PathVariable) ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium is not at {executable}: run ./scripts/chromium install (the test command does), or set {PathVariable}.");
        }

        playwright = await Playwright.CreateAsync();
        context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Flags,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "vi-VN",
            // Not Hanoi: the page must show Hanoi time whatever the operator's machine is set to.
            TimezoneId = "Europe/London",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (context is not null)
        {
            await context.CloseAsync();
        }

        playwright?.Dispose();
        if (Directory.Exists(profile))
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
