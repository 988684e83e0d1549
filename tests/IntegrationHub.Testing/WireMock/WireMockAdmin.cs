using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Testing.WireMock;

/// <summary>
/// WireMock's admin API (<c>/__admin</c>): add mappings, read the request journal, remove mappings
/// by metadata. Nothing here resets the whole server, because tests (and test processes) share it.
/// </summary>
public sealed class WireMockAdmin(Uri url)
{
    private readonly HttpClient http = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Adds a mapping (WireMock's JSON: <c>request</c>, <c>response</c>, <c>priority</c>, <c>scenarioName</c>, ...).</summary>
    public async Task AddMappingAsync(JsonObject mapping, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("/__admin/mappings", mapping, cancellationToken);
        await EnsureAsync(response, "add a mapping", cancellationToken);
    }

    /// <summary>Removes every mapping whose metadata has <paramref name="key"/> equal to <paramref name="value"/>.</summary>
    public async Task RemoveMappingsAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        var pattern = new JsonObject { ["matchesJsonPath"] = new JsonObject { ["expression"] = $"$.{key}", ["equalTo"] = value } };
        using var response = await http.PostAsJsonAsync("/__admin/mappings/remove-by-metadata", pattern, cancellationToken);
        await EnsureAsync(response, "remove mappings", cancellationToken);
    }

    /// <summary>The journal's requests matching a request pattern, oldest first.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> FindRequestsAsync(JsonObject pattern, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("/__admin/requests/find", pattern, cancellationToken);
        await EnsureAsync(response, "read the request journal", cancellationToken);
        var found = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? [];
        return (found["requests"]?.AsArray() ?? [])
            .Select(r => LoggedRequest.From(r!.AsObject()))
            .OrderBy(r => r.LoggedAt)
            .ToList();
    }

    /// <summary>Waits until <c>/__admin/health</c> answers.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/__admin/health", cancel.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (!cancel.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancel.Token);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"WireMock refused to {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}

/// <summary>A request as WireMock's journal recorded it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">Path and query.</param>
/// <param name="Headers">The headers (names compared without case).</param>
/// <param name="Body">The body as text.</param>
/// <param name="LoggedAt">When WireMock received it.</param>
public sealed record LoggedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset LoggedAt)
{
    /// <summary>The path without the query.</summary>
    public string Path => Url.Split('?')[0];

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as JSON.</summary>
    public JsonNode Json() => JsonNode.Parse(Body) ?? throw new InvalidOperationException($"The body of {Method} {Url} is not JSON.");

    internal static LoggedRequest From(JsonObject entry)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in entry["headers"]?.AsObject() ?? [])
        {
            headers[name] = value is JsonArray values ? string.Join(",", values.Select(v => v?.GetValue<string>())) : value?.GetValue<string>() ?? "";
        }

        return new LoggedRequest(
            entry["method"]!.GetValue<string>(),
            entry["url"]!.GetValue<string>(),
            headers,
            entry["body"]?.GetValue<string>() ?? "",
            DateTimeOffset.FromUnixTimeMilliseconds(entry["loggedDate"]!.GetValue<long>()));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LoggedAt:HH:mm:ss.fff} {Method} {Url}");
}
