using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Connectors.Resilience;
using IntegrationHub.Connectors.Wire;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Connectors.Auth;

/// <summary>
/// One system's OAuth2 access token (client credentials grant): fetched on first use, kept until
/// shortly before it expires, fetched again when the system refuses it. Concurrent callers share
/// one fetch.
/// </summary>
internal sealed class AccessTokens(ConnectorSystem system, IHttpClientFactory clients, TimeProvider time, ConnectorMetrics metrics, ILogger logger)
{
    /// <summary>How long a token without <c>expires_in</c> is kept.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private CachedToken? current;

    /// <summary>A token that is valid now.</summary>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref current) is { } cached && time.GetUtcNow() < cached.RenewAt)
        {
            return cached.Value;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (current is { } fresh && time.GetUtcNow() < fresh.RenewAt)
            {
                return fresh.Value;
            }

            var token = await RequestAsync(cancellationToken);
            Volatile.Write(ref current, token);
            return token.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets a token the system refused, unless another caller has already replaced it.</summary>
    public void Invalidate(string refused)
    {
        var cached = Volatile.Read(ref current);
        if (cached is not null && cached.Value == refused)
        {
            Interlocked.CompareExchange(ref current, null, cached);
        }
    }

    private async Task<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        const string Operation = "Token";
        var options = system.Options;
        var calls = new GatewayCalls(system.Name, metrics, logger);

        // Through the system's own client and pipeline (its breaker and concurrency limit see the
        // token requests too). Asking for a token twice is harmless, so a failed request may be retried.
        using var request = new HttpRequestMessage(HttpMethod.Post, options.TokenEndpoint);
        ConnectorRequest.Describe(request, Operation, retrySafe: true);
        ConnectorRequest.MarkTokenRequest(request);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Uri.EscapeDataString(options.ClientId)}:{Uri.EscapeDataString(options.ClientSecret)}")));
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrWhiteSpace(options.Scope))
        {
            form.Add(new("scope", options.Scope));
        }

        request.Content = new FormUrlEncodedContent(form);

        var http = clients.CreateClient(system.ClientName);
        using var response = await calls.SendAsync(Operation, ct => http.SendAsync(request, ct), cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        TokenReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize<TokenReply>(body, WireJson.Options);
        }
        catch (JsonException ex) when (response.IsSuccessStatusCode)
        {
            throw calls.Malformed(Operation, ex.Path ?? "$", ex.Message, ex);
        }
        catch (JsonException)
        {
            reply = null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw calls.Failed(Operation, response.StatusCode, reply?.Error is { } error ? new WireReply { ErrorCode = error, Message = reply.ErrorDescription } : null);
        }

        if (string.IsNullOrEmpty(reply?.AccessToken))
        {
            throw calls.Malformed(Operation, "$.access_token", "missing");
        }

        if (reply.TokenType is { } type && !type.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw calls.Malformed(Operation, "$.token_type", $"'{type}' is not Bearer");
        }

        var lifetime = reply.ExpiresIn is > 0 ? TimeSpan.FromSeconds(reply.ExpiresIn.Value) : DefaultLifetime;
        var margin = options.TokenRefreshBefore < lifetime / 2 ? options.TokenRefreshBefore : lifetime / 2;
        Log.TokenAcquired(logger, system.Name, lifetime);
        return new CachedToken(reply.AccessToken, time.GetUtcNow() + lifetime - margin);
    }

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt);

    private sealed record TokenReply
    {
        [JsonPropertyName("access_token")]
        public string? AccessToken { get; init; }

        [JsonPropertyName("token_type")]
        public string? TokenType { get; init; }

        [JsonPropertyName("expires_in")]
        public long? ExpiresIn { get; init; }

        [JsonPropertyName("error")]
        public string? Error { get; init; }

        [JsonPropertyName("error_description")]
        public string? ErrorDescription { get; init; }
    }
}

/// <summary>The access tokens of every configured system.</summary>
internal sealed class AccessTokenStore(IEnumerable<ConnectorSystem> systems, IHttpClientFactory clients, TimeProvider time, ConnectorMetrics metrics, ILogger<AccessTokens> logger)
{
    private readonly FrozenDictionary<string, AccessTokens> tokens =
        systems.ToFrozenDictionary(s => s.Name, s => new AccessTokens(s, clients, time, metrics, logger), StringComparer.Ordinal);

    public AccessTokens For(string system) =>
        tokens.TryGetValue(system, out var found) ? found : throw new InvalidOperationException($"No connector is configured for the system '{system}'.");
}
