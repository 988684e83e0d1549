using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationHub.Functions.Security;

/// <summary>
/// The signing keys of the configured JWKS (file or URL), read again every refresh interval and, at
/// most every 30 seconds, when a token names a key id the hub does not know (key rotation).
/// </summary>
internal sealed class JwksKeySource(IOptions<SecurityOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<JwksKeySource> logger)
{
    private static readonly TimeSpan UnknownKeyRefreshFloor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);
    private IReadOnlyList<SecurityKey> keys = [];
    private DateTimeOffset readAt = DateTimeOffset.MinValue;

    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - readAt < options.Value.JwksRefreshInterval)
        {
            return keys;
        }

        await RefreshAsync(force: false, cancellationToken);
        return keys;
    }

    /// <summary>Reads the key set again after a token named an unknown key; false when it was read too recently.</summary>
    public async ValueTask<bool> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - readAt < UnknownKeyRefreshFloor)
        {
            return false;
        }

        await RefreshAsync(force: true, cancellationToken);
        return true;
    }

    private async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!force && time.GetUtcNow() - readAt < options.Value.JwksRefreshInterval)
            {
                return;
            }

            var json = await ReadAsync(cancellationToken);
            var set = new JsonWebKeySet(json);
            set.SkipUnresolvedJsonWebKeys = true;
            keys = [.. set.GetSigningKeys()];
            readAt = time.GetUtcNow();
            Log.KeysRead(logger, keys.Count, Source);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ArgumentException or UnauthorizedAccessException)
        {
            // Keep the keys we have: a key server that is briefly down must not lock every caller out.
            Log.KeysUnreadable(logger, Source, ex);
            readAt = time.GetUtcNow() - options.Value.JwksRefreshInterval + UnknownKeyRefreshFloor;
        }
        finally
        {
            gate.Release();
        }
    }

    private string Source => options.Value.JwksPath ?? options.Value.JwksUrl?.ToString() ?? "";

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        if (options.Value.JwksPath is { Length: > 0 } path)
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }

        var http = httpClients.CreateClient(nameof(JwksKeySource));
        return await http.GetStringAsync(options.Value.JwksUrl, cancellationToken);
    }
}
