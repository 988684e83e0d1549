using IntegrationHub.ServiceBusDouble.Broker;
using IntegrationHub.ServiceBusDouble.Logging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// The <c>$cbs</c> node: <c>put-token</c> with a shared access signature. The reply carries
/// <c>status-code</c> (int) and <c>status-description</c>, which azure-amqp's <c>AmqpCbsLink</c>
/// reads: 200/202 grant, 401 raises <c>UnauthorizedAccessException</c> in the SDK.
/// </summary>
internal sealed class CbsNode(SasTokenValidator validator, ConnectionClaims claims, FrameLog frames) : RequestResponseNode
{
    public void Attach(AmqpLink link) => Attach(link, request => PutToken(link.Session.Connection, request));

    AmqpMessage PutToken(AmqpConnection connection, AmqpMessage request)
    {
        PropertiesMap properties = request.ApplicationProperties.Map;
        string? operation = properties[CbsConstants.Operation] as string;
        string? type = properties[CbsConstants.PutToken.Type] as string;
        string? audience = properties[CbsConstants.PutToken.Audience] as string;
        if (operation != CbsConstants.PutToken.OperationValue || audience is null)
        {
            return Reply(400, "Only put-token with a name (audience) is served.");
        }

        if (type != CbsConstants.ServiceBusSasTokenType)
        {
            return Reply(401, $"Token type '{type}' is not accepted: the double checks shared access signatures only.");
        }

        string? refusal = validator.Check(request.ValueBody?.Value as string, audience);
        frames.Note(connection, $"put-token {audience}: {refusal ?? "accepted"}");
        if (refusal is not null)
        {
            return Reply(401, refusal);
        }

        claims.Grant(connection, audience);
        return Reply(202, "Accepted");
    }

    static AmqpMessage Reply(int status, string description)
    {
        AmqpMessage reply = AmqpMessage.Create();
        reply.ApplicationProperties.Map[CbsConstants.PutToken.StatusCode] = status;
        reply.ApplicationProperties.Map[CbsConstants.PutToken.StatusDescription] = description;
        return reply;
    }
}
