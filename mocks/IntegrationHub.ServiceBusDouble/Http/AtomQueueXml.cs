using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using IntegrationHub.ServiceBusDouble.Broker;

namespace IntegrationHub.ServiceBusDouble.Http;

/// <summary>
/// Queue descriptions in the ATOM/XML of the Service Bus management endpoint, element for element as
/// a namespace answers (the SDK's recorded sessions, e.g. ServiceBusManagementClientLiveTests/
/// GetQueueRuntimeInfoAsync.json) and as <c>QueuePropertiesExtensions</c>/<c>QueueRuntimePropertiesExtensions</c> parse.
/// </summary>
internal static class AtomQueueXml
{
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    static readonly XNamespace ServiceBus = "http://schemas.microsoft.com/netservices/2010/10/servicebus/connect";
    static readonly XNamespace Counts = "http://schemas.microsoft.com/netservices/2011/06/servicebus";
    static readonly XNamespace Instance = "http://www.w3.org/2001/XMLSchema-instance";

    public static string Entry(DoubleQueue queue, string baseUri) => Element(queue, baseUri).ToString(SaveOptions.DisableFormatting);

    public static string Feed(IEnumerable<DoubleQueue> queues, string selfUri, string baseUri, string title, DateTimeOffset now)
    {
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "title", new XAttribute("type", "text"), title),
            new XElement(Atom + "id", selfUri),
            new XElement(Atom + "updated", Time(now)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", selfUri)));
        foreach (DoubleQueue queue in queues)
        {
            feed.Add(Element(queue, baseUri));
        }

        return feed.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The description a create or update request carries; null when it describes no queue.</summary>
    public static XElement? Description(string body)
    {
        XElement entry = XElement.Parse(body);
        return entry.Element(Atom + "content")?.Elements().FirstOrDefault();
    }

    public static bool IsQueueDescription(XElement description) => description.Name == ServiceBus + "QueueDescription";

    /// <summary>Reads the settings the double keeps; defaults are a namespace's for what is absent.</summary>
    public static QueueSettings Settings(XElement description)
    {
        string? Value(string name) => description.Element(ServiceBus + name)?.Value;
        var defaults = new QueueSettings();
        return new QueueSettings
        {
            LockDuration = Value("LockDuration") is { } lockDuration ? XmlConvert.ToTimeSpan(lockDuration) : defaults.LockDuration,
            MaxDeliveryCount = Value("MaxDeliveryCount") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : defaults.MaxDeliveryCount,
            RequiresDuplicateDetection = Value("RequiresDuplicateDetection") is { } dedup && bool.Parse(dedup),
            DuplicateDetectionHistoryTimeWindow = Value("DuplicateDetectionHistoryTimeWindow") is { } window ? XmlConvert.ToTimeSpan(window) : defaults.DuplicateDetectionHistoryTimeWindow,
            DefaultMessageTimeToLive = Value("DefaultMessageTimeToLive") is { } ttl ? XmlConvert.ToTimeSpan(ttl) : defaults.DefaultMessageTimeToLive,
            DeadLetteringOnMessageExpiration = Value("DeadLetteringOnMessageExpiration") is { } expiry && bool.Parse(expiry),
            MaxSizeInMegabytes = Value("MaxSizeInMegabytes") is { } size ? long.Parse(size, CultureInfo.InvariantCulture) : defaults.MaxSizeInMegabytes,
            UserMetadata = Value("UserMetadata"),
        };
    }

    /// <summary>A feature the description asks for that the double leaves out, or null.</summary>
    public static string? Unsupported(XElement description)
    {
        string? Value(string name) => description.Element(ServiceBus + name)?.Value;
        if (Value("RequiresSession") is { } session && bool.Parse(session))
        {
            return "Sessions (RequiresSession) are not supported by the Service Bus double.";
        }

        return !string.IsNullOrWhiteSpace(Value("ForwardTo")) || !string.IsNullOrWhiteSpace(Value("ForwardDeadLetteredMessagesTo"))
            ? "Auto-forwarding is not supported by the Service Bus double."
            : null;
    }

    public static string Error(int code, string detail) =>
        new XElement("Error", new XElement("Code", code), new XElement("Detail", detail)).ToString(SaveOptions.DisableFormatting);

    static XElement Element(DoubleQueue queue, string baseUri)
    {
        QueueSettings settings = queue.Settings;
        QueueCounts counts = queue.Counts();
        string self = $"{baseUri}/{queue.Name}";
        XElement description = new(ServiceBus + "QueueDescription", new XAttribute(XNamespace.Xmlns + "i", Instance),
            Item("LockDuration", XmlConvert.ToString(settings.LockDuration)),
            Item("MaxSizeInMegabytes", settings.MaxSizeInMegabytes),
            Item("RequiresDuplicateDetection", Bool(settings.RequiresDuplicateDetection)),
            Item("RequiresSession", "false"),
            Item("DefaultMessageTimeToLive", XmlConvert.ToString(settings.DefaultMessageTimeToLive)),
            Item("DeadLetteringOnMessageExpiration", Bool(settings.DeadLetteringOnMessageExpiration)),
            Item("DuplicateDetectionHistoryTimeWindow", XmlConvert.ToString(settings.DuplicateDetectionHistoryTimeWindow)),
            Item("MaxDeliveryCount", settings.MaxDeliveryCount),
            Item("EnableBatchedOperations", "true"),
            Item("SizeInBytes", counts.SizeInBytes),
            Item("MessageCount", counts.Total),
            Item("IsAnonymousAccessible", "false"),
            Item("AuthorizationRules", null),
            Item("Status", "Active"),
            Item("CreatedAt", Time(queue.CreatedAt)),
            Item("UpdatedAt", Time(queue.UpdatedAt)),
            Item("AccessedAt", "0001-01-01T00:00:00Z"),
            Item("SupportOrdering", "true"),
            new XElement(ServiceBus + "CountDetails", new XAttribute(XNamespace.Xmlns + "d2p1", Counts),
                new XElement(Counts + "ActiveMessageCount", counts.Active),
                new XElement(Counts + "DeadLetterMessageCount", counts.DeadLetter),
                new XElement(Counts + "ScheduledMessageCount", counts.Scheduled),
                new XElement(Counts + "TransferMessageCount", 0),
                new XElement(Counts + "TransferDeadLetterMessageCount", 0)),
            Item("AutoDeleteOnIdle", XmlConvert.ToString(TimeSpan.MaxValue)),
            Item("EnablePartitioning", "false"),
            Item("EntityAvailabilityStatus", "Available"),
            Item("EnableExpress", "false"),
            settings.UserMetadata is null ? null : Item("UserMetadata", settings.UserMetadata));
        return new XElement(Atom + "entry",
            new XElement(Atom + "id", self),
            new XElement(Atom + "title", new XAttribute("type", "text"), queue.Name),
            new XElement(Atom + "published", Time(queue.CreatedAt)),
            new XElement(Atom + "updated", Time(queue.UpdatedAt)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("href", self)),
            new XElement(Atom + "content", new XAttribute("type", "application/xml"), description));
    }

    static XElement Item(string name, object? value) => new(ServiceBus + name, value);

    static string Bool(bool value) => value ? "true" : "false";

    static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);
}
