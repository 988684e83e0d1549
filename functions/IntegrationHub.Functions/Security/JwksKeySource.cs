using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

/// <summary>
/// The signing keys of the configured JWKS (a file or a URL) as the JWT bearer handler's
/// configuration: read again every <see cref="SecurityOptions.JwksRefreshInterval"/> and, at most every
/// 30 seconds, when a token names a key id the hub does not know (key rotation). A key set that
/// cannot be read or parsed in <see cref="SecurityOptions.JwksTimeout"/> leaves the last good keys in
/// place. Once keys are known, the scheduled read runs beside the requests, which go on with the keys
/// they have: only the first read and a read for an unknown key id are waited for.
/// </summary>
internal sealed class JwksKeySource(IOptions<SecurityOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<JwksKeySource> logger)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    private static readonly TimeSpan UnknownKeyRefreshFloor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);
    private OpenIdConnectConfiguration current = new();
    private DateTimeOffset readAt = DateTimeOffset.MinValue;
    private DateTimeOffset attemptedAt = DateTimeOffset.MinValue;
    private DateTimeOffset? failingSince;
    private int refreshing;

    /// <summary>How many signing keys are in force, and since when the key set could not be read (null while its last read succeeded).</summary>
    public (int Keys, DateTimeOffset? FailingSince) State => (current.SigningKeys.Count, failingSince);

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (time.GetUtcNow() - readAt >= options.Value.JwksRefreshInterval)
        {
            if (current.SigningKeys.Count == 0)
            {
                await RefreshAsync(force: false);
            }
            else
            {
                RefreshBesideRequests();
            }
        }

        return current;
    }

    /// <summary>The handler asks after a token named an unknown key; the hub reads the set in <see cref="RefreshForUnknownKeyAsync"/> instead, within the same request.</summary>
    public void RequestRefresh()
    {
    }

    /// <summary>Reads the key set again after a token named an unknown key; false when it was read too recently.</summary>
    public async ValueTask<bool> RefreshForUnknownKeyAsync()
    {
        if (time.GetUtcNow() - readAt < UnknownKeyRefreshFloor)
        {
            return false;
        }

        await RefreshAsync(force: true);
        return true;
    }

    /// <summary>The scheduled read, started once and not waited for: the requests keep the keys they have meanwhile.</summary>
    private void RefreshBesideRequests()
    {
        if (Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(force: false);
                }
                finally
                {
                    Volatile.Write(ref refreshing, 0);
                }
            });
        }
    }

    /// <summary>
    /// Reads the key set, once for every caller waiting on it: no caller's hang-up cancels it (the next
    /// caller would start over, and the handler logs a cancellation as an error). A URL's read is
    /// bounded by <see cref="SecurityOptions.JwksTimeout"/>; a forced read is skipped when another began
    /// after it was asked for.
    /// </summary>
    private async Task RefreshAsync(bool force)
    {
        var asked = time.GetUtcNow();
        await gate.WaitAsync();
        try
        {
            if (force ? attemptedAt > asked : time.GetUtcNow() - readAt < options.Value.JwksRefreshInterval)
            {
                return;
            }

            attemptedAt = time.GetUtcNow();

            var set = new JsonWebKeySet(await ReadAsync()) { SkipUnresolvedJsonWebKeys = true };
            var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
            foreach (var key in set.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            current = configuration;
            readAt = time.GetUtcNow();
            failingSince = null;
            Log.KeysRead(logger, configuration.SigningKeys.Count, Source);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or TaskCanceledException or ArgumentException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // Keep the keys we have: a key server that is briefly down must not lock every caller out.
            Log.KeysUnreadable(logger, Source, ex);
            readAt = time.GetUtcNow() - options.Value.JwksRefreshInterval + UnknownKeyRefreshFloor;
            failingSince ??= attemptedAt;
        }
        finally
        {
            gate.Release();
        }
    }

    private string Source => options.Value.JwksPath is { Length: > 0 } path ? path : options.Value.JwksUrl?.ToString() ?? "";

    private async Task<string> ReadAsync()
    {
        if (options.Value.JwksPath is { Length: > 0 } path)
        {
            return await File.ReadAllTextAsync(path);
        }

        var http = httpClients.CreateClient(nameof(JwksKeySource));
        return await http.GetStringAsync(options.Value.JwksUrl);
    }
}
