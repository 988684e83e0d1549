using System.Collections.Frozen;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// The problem types the hub answers with (RFC 9457). Each type is a relative URI that the host
/// serves as a short explanation, so a department developer can follow it.
/// </summary>
internal static class Problems
{
    public const string ValidationFailed = "validation-failed";
    public const string MalformedJson = "malformed-json";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string PayloadTooLarge = "payload-too-large";
    public const string TokenMissing = "token-missing";
    public const string TokenMalformed = "token-malformed";
    public const string TokenEncrypted = "token-encrypted";
    public const string TokenAlgorithm = "token-algorithm";
    public const string TokenExpired = "token-expired";
    public const string TokenNotYetValid = "token-not-yet-valid";
    public const string TokenIssuer = "token-issuer";
    public const string TokenAudience = "token-audience";
    public const string TokenSignature = "token-signature";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string RateLimited = "rate-limited";
    public const string InvalidTransition = "invalid-transition";
    public const string SupplementAlreadyRequested = "supplement-already-requested";
    public const string WebhookSignature = "webhook-signature";
    public const string WebhookStale = "webhook-stale";
    public const string UpstreamUnavailable = "upstream-unavailable";
    public const string UpstreamRejected = "upstream-rejected";
    public const string UnknownPurpose = "unknown-purpose";
    public const string LockLost = "lock-lost";
    public const string NothingToReplay = "nothing-to-replay";
    public const string DeadLetterGone = "dead-letter-gone";
    public const string DeadLetterNotJson = "dead-letter-not-json";
    public const string ReplayJobFinished = "replay-job-finished";
    public const string RetentionRefused = "retention-refused";

    /// <summary>Every problem type: its HTTP status, title, and what to do about it.</summary>
    public static FrozenDictionary<string, (int Status, string Title, string Explanation)> Catalogue { get; } =
        new Dictionary<string, (int, string, string)>
        {
            [ValidationFailed] = (400, "The request body does not match its schema", "The `errors` member lists each failing field by its JSON path. The schemas are published under schemas/ in the repository."),
            [MalformedJson] = (400, "The request body is not JSON", "Send a UTF-8 JSON document with Content-Type: application/json."),
            [UnsupportedMediaType] = (415, "Unsupported media type", "Send Content-Type: application/json."),
            [PayloadTooLarge] = (413, "The request body is too large", "Bodies are limited in size; `limit` says the limit in bytes."),
            [TokenMissing] = (401, "No bearer token", "Send Authorization: Bearer <JWT>."),
            [TokenMalformed] = (401, "The token is not a JWT", "A token is three base64url segments separated by dots."),
            [TokenEncrypted] = (401, "Encrypted tokens are not accepted", "The hub accepts signed JWTs (JWS) only; a five-segment JWE is refused before it is read."),
            [TokenAlgorithm] = (401, "The token's algorithm is not accepted", "Only the configured signing algorithms are accepted; `alg: none` never is."),
            [TokenExpired] = (401, "The token has expired", "Get a new token."),
            [TokenNotYetValid] = (401, "The token is not valid yet", "Its nbf is in the future; check the issuer's clock."),
            [TokenIssuer] = (401, "The token's issuer is not trusted", "The iss claim must be the configured issuer."),
            [TokenAudience] = (401, "The token is not for this hub", "The aud claim must be the configured audience."),
            [TokenSignature] = (401, "The token's signature is not valid", "It was not signed by a key of the configured key set, or it was changed after signing."),
            [Forbidden] = (403, "Your role does not allow this", "`requiredRole` names the role the call needs."),
            [NotFound] = (404, "Not found", "Nothing with that identifier is visible to you."),
            [RateLimited] = (429, "Too many requests", "Wait for the number of seconds in Retry-After."),
            [InvalidTransition] = (409, "The status change is not allowed", "A dossier's status follows the portal's state machine; `from` and `to` name both states."),
            [SupplementAlreadyRequested] = (409, "Supplementary documents were already requested once", "The rules allow one supplement request per dossier."),
            [WebhookSignature] = (401, "The webhook signature is not valid", "Sign HMAC-SHA256 over the timestamp, a dot and the raw body with the shared secret."),
            [WebhookStale] = (401, "The webhook timestamp is outside the replay window", "The timestamp must be within five minutes of the hub's clock."),
            [UpstreamUnavailable] = (503, "A national system is unavailable", "The hub could not reach the system named in `system`; try again later."),
            [UpstreamRejected] = (502, "A national system refused the hub's request", "`system` names the system and `errorCode` its own error code."),
            [LockLost] = (409, "The lock on the dossier has expired", "Pull the dossier again and acknowledge it within the lock duration; it may have been offered again meanwhile."),
            [NothingToReplay] = (404, "No dead letter to replay", "Nothing in the queue's dead letters matches: `missing` lists message ids that are not there; a filter matched none."),
            [DeadLetterGone] = (409, "The dead letter is no longer there", "It was replayed meanwhile, or a receiver holds it; list the dead letters again."),
            [DeadLetterNotJson] = (409, "The dead letter's body is not JSON", "Only a JSON body can be corrected here; replay it as it is, or fix it at its source."),
            [ReplayJobFinished] = (409, "The replay job has finished", "A completed or cancelled job cannot be cancelled; `status` says which."),
            [RetentionRefused] = (409, "Retention cannot delete through that checkpoint", "Retention deletes only what a stored checkpoint covers, once it is older than Audit:RetentionMinimumAge, and never less than an earlier retention did; `detail` says which."),
            [UnknownPurpose] = (400, "Unknown purpose", "The purpose must be one of the configured purposes; `allowed` lists them."),
        }.ToFrozenDictionary();

    /// <summary>A problem of a known type, with the detail of this occurrence.</summary>
    public static ProblemDetails Create(string type, string detail, IDictionary<string, object?>? extensions = null)
    {
        var (status, title, _) = Catalogue[type];
        var problem = new ProblemDetails { Type = TypeUri(type), Title = title, Status = status, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return problem;
    }

    /// <summary>The URI of a problem type, relative to the hub.</summary>
    public static string TypeUri(string type) => $"/problems/{type}";

    /// <summary>Writes a problem as <c>application/problem+json</c>.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsJsonAsync(problem, typeof(ProblemDetails), options: null, contentType: "application/problem+json", context.RequestAborted);
    }

    /// <summary>The problem as an endpoint result.</summary>
    public static IResult Result(string type, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(Create(type, detail, extensions));
}

/// <summary>Thrown where a request must end in a problem response; the host writes it.</summary>
internal sealed class ProblemException(ProblemDetails problem) : Exception(problem.Detail)
{
    public ProblemDetails Problem { get; } = problem;
}
