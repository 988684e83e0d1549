using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Refit;

namespace IntegrationHub.Functions.Cli;

/// <summary>
/// The operations API as the command line calls it (<see cref="IOpsApi"/>, a Refit client): a hub's URL
/// and an operator's bearer token; every answer is JSON, every refusal a problem said in words.
/// </summary>
internal sealed class OpsApiClient : IDisposable
{
    private readonly HttpClient http;
    private readonly IOpsApi api;

    public OpsApiClient(Uri url, string token)
    {
        http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        api = RestService.ForGenerated<IOpsApi>(http);
    }

    public void Dispose() => http.Dispose();

    /// <summary>Makes a call of the operations API and reads its JSON answer.</summary>
    /// <exception cref="OpsApiException">The hub answered with a problem, or could not be reached.</exception>
    public async Task<JsonObject> CallAsync(Func<IOpsApi, CancellationToken, Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        HttpResponseMessage response;
        try
        {
            response = await call(api, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is ApiRequestException { InnerException: HttpRequestException })
        {
            throw new OpsApiException($"The hub at {http.BaseAddress} cannot be reached: {(ex.InnerException ?? ex).Message}");
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
