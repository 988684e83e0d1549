using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Connectors.Portal;
using IntegrationHub.Functions.Flows;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>
/// The portal pushes submissions: a portal-role token, and an HMAC-SHA256 signature over
/// <c>{timestamp}.{body}</c> with the shared secret (<c>X-Portal-Timestamp</c>, Unix seconds, within
/// the replay window; <c>X-Portal-Signature: sha256=&lt;hex&gt;</c>). The body is the portal's own
/// format, <c>{ "data": [ dossier, ... ] }</c>.
/// </summary>
internal sealed class ReceivePortalWebhookOnHttp(IntakeService intake, IOptions<FlowOptions> options, IOptions<RequestLimitsOptions> limits, TimeProvider time)
{
    public const string TimestampHeader = "X-Portal-Timestamp";
    public const string SignatureHeader = "X-Portal-Signature";

    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/api/portal/submissions", (HttpContext context, ReceivePortalWebhookOnHttp function, CancellationToken cancellationToken) => function.RunAsync(context, cancellationToken))
        .RequireAuthorization(HubRoles.Portal)
        .WithName(nameof(ReceivePortalWebhookOnHttp))
        .Accepts<PortalPush>("application/json")
        .Produces<WebhookReceipt>(StatusCodes.Status202Accepted)
        .WithProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

    public async Task<IResult> RunAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var sent = await RequestBody.ReadAsync(context, limits.Value.MaxWebhookBodyBytes);
        var problem = CheckSignature(context.Request.Headers[TimestampHeader], context.Request.Headers[SignatureHeader], Encoding.UTF8.GetString(sent));
        if (problem is not null)
        {
            return problem;
        }

        ReadOnlyMemory<byte> json = sent.AsMemory(sent.Length - Schemas.HubJson.WithoutByteOrderMark(sent).Length);
        if (JsonText.Check(json) is { } refused)
        {
            return TypedResults.Problem(refused);
        }

        var body = Encoding.UTF8.GetString(json.Span);

        IReadOnlyList<Core.Gateways.PortalSubmission> items;
        try
        {
            items = PortalSubmissions.ReadPush(body);
        }
        catch (JsonException ex)
        {
            return Problems.Result(Problems.MalformedJson, ex.Message);
        }

        var result = await intake.AcceptAsync(items, nextCursor: null, cancellationToken);
        return TypedResults.Accepted((string?)null, new WebhookReceipt(result.Accepted, result.Duplicates, result.DeadLettered));
    }

    private IResult? CheckSignature(string? timestamp, string? signature, string body)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Problems.Result(Problems.WebhookSignature, $"{TimestampHeader} must be the Unix time in seconds.");
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((time.GetUtcNow() - sentAt).Duration() > options.Value.WebhookReplayWindow)
        {
            return Problems.Result(Problems.WebhookStale, $"{TimestampHeader} {seconds} is more than {options.Value.WebhookReplayWindow.TotalMinutes:0} minutes from the hub's clock.");
        }

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.WebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
        var given = Encoding.ASCII.GetBytes(signature ?? "");
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), given)
            ? null
            : Problems.Result(Problems.WebhookSignature, $"{SignatureHeader} does not match the body and timestamp.");
    }
}
