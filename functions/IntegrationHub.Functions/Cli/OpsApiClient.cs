using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Functions.Cli;

/// <summary>The operations API as the command line calls it: a hub's URL and an operator's bearer token.</summary>
internal sealed class OpsApiClient(Uri url, string token) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(100) };

    public Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, cancellationToken);

    public void Dispose() => http.Dispose();

    /// <exception cref="OpsApiException">The hub answered with a problem, or could not be reached.</exception>
    private async Task<JsonObject> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new OpsApiException($"The hub at {http.BaseAddress} cannot be reached: {ex.Message}");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonObject? json = null;
                try
                {
                    json = JsonNode.Parse(text) as JsonObject;
                }
                catch (JsonException)
                {
                    // Not JSON: reported below with the status.
                }

                if (response.IsSuccessStatusCode && json is not null)
                {
                    return json;
                }

                throw new OpsApiException(Describe((int)response.StatusCode, json, text));
            }
        }
    }

    private static string Describe(int status, JsonObject? problem, string text)
    {
        if (problem is null)
        {
            return $"HTTP {status}: {text}";
        }

        var fields = problem["errors"] is JsonArray errors ? string.Concat(errors.Select(e => $"{Environment.NewLine}  {e?["field"]}: {e?["error"]}")) : "";
        return $"{problem["title"]} (HTTP {status}): {problem["detail"]}{fields}";
    }
}

/// <summary>The hub refused a call or could not be reached; the message says why.</summary>
internal sealed class OpsApiException(string message) : Exception(message);
