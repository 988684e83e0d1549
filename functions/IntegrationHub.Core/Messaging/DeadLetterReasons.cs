namespace IntegrationHub.Core.Messaging;

/// <summary>Standard dead-letter reasons, as Service Bus names them, plus the hub's own.</summary>
public static class DeadLetterReasons
{
    /// <summary>Delivered more times than the queue allows.</summary>
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    /// <summary>The body could not be read as the function's message type.</summary>
    public const string DeserializationFailed = "DeserializationFailed";

    /// <summary>The body does not satisfy the message's published schema.</summary>
    public const string SchemaValidationFailed = "SchemaValidationFailed";
}
