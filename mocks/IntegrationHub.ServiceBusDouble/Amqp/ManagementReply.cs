using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// Replies of the <c>$management</c> node, shaped as the SDK's <c>AmqpResponseMessage</c> reads them:
/// application properties <c>statusCode</c> (int), <c>statusDescription</c> (string) and, on errors,
/// <c>errorCondition</c> (a symbol, which <c>AmqpExceptionHelper</c> maps to a failure reason); the
/// body an amqp-value map.
/// </summary>
internal static class ManagementReply
{
    public static readonly AmqpSymbol MessageLockLost = "com.microsoft:message-lock-lost";
    public static readonly AmqpSymbol MessageNotFound = "com.microsoft:message-not-found";

    public static AmqpMessage Ok(AmqpMap body) => Create(200, "OK", body, null);

    public static AmqpMessage NoContent(string description) => Create(204, description, new AmqpMap(), null);

    public static AmqpMessage Error(int status, AmqpSymbol condition, string description) =>
        Create(status, description, new AmqpMap(), condition);

    public static AmqpMessage LockLost() => Error(410, MessageLockLost,
        "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.");

    public static AmqpMessage BadRequest(string description) => Error(400, "com.microsoft:argument-error", description);

    public static AmqpMap Body(string key, object value)
    {
        var map = new AmqpMap();
        map[new MapKey(key)] = value;
        return map;
    }

    static AmqpMessage Create(int status, string description, AmqpMap body, AmqpSymbol? condition)
    {
        AmqpMessage reply = AmqpMessage.Create(new AmqpValue { Value = body });
        PropertiesMap properties = reply.ApplicationProperties.Map;
        properties["statusCode"] = status;
        properties["statusDescription"] = description;
        if (condition is { } symbol)
        {
            properties["errorCondition"] = symbol;
        }

        return reply;
    }
}
