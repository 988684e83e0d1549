using System.Xml;
using IntegrationHub.ServiceBusDouble.Broker;

namespace IntegrationHub.ServiceBusDouble.Http;

/// <summary>
/// The ATOM/XML entity endpoints <c>ServiceBusAdministrationClient</c> calls for queues: PUT
/// (create; with <c>If-Match: *</c>, update), GET (one queue with its counts, or
/// <c>$Resources/queues</c>), DELETE. Answers follow a namespace's: a GET of a missing entity is
/// 200 with an empty feed, a PUT of an existing one 409, an update or delete of a missing one 404.
/// </summary>
internal sealed class AdminApi(DoubleNamespace ns, SasTokenValidator validator, Action<string> queueDeclared)
{
    const string EntryType = "application/atom+xml;type=entry;charset=utf-8";
    const string FeedType = "application/atom+xml;type=feed;charset=utf-8";
    const string XmlType = "application/xml; charset=utf-8";

    public AdminResponse Handle(AdminRequest request, string authority)
    {
        var uri = new Uri($"http://{authority}{request.Target}");
        string path = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        string baseUri = $"http://{authority}";
        string? refusal = validator.Check(request.Headers.GetValueOrDefault("Authorization"), $"http://{uri.Host}/{path}");
        if (refusal is not null)
        {
            return Error(401, "Unauthorized", refusal);
        }

        if (path.Equals("$Resources/queues", StringComparison.OrdinalIgnoreCase) && request.Method == "GET")
        {
            return List(uri, baseUri);
        }

        if (path.Length == 0 || path.StartsWith('$') || path.Contains('/', StringComparison.Ordinal))
        {
            return Error(400, "Bad Request", $"'{path}' is not a queue path the Service Bus double serves (topics, subscriptions and rules are left out).");
        }

        return request.Method switch
        {
            "GET" => Get(path, uri, baseUri),
            "PUT" => Put(path, request, baseUri),
            "DELETE" => ns.Delete(path) ? new AdminResponse(200, "OK", XmlType, string.Empty) : NotFound(path),
            _ => Error(405, "Method Not Allowed", $"{request.Method} is not served."),
        };
    }

    AdminResponse Get(string path, Uri uri, string baseUri) =>
        ns.Find(path) is { } queue
            ? new AdminResponse(200, "OK", EntryType, AtomQueueXml.Entry(queue, baseUri))
            : new AdminResponse(200, "OK", FeedType, AtomQueueXml.Feed([], uri.AbsoluteUri, baseUri, "Publicly Listed Services", ns.Time.GetUtcNow()));

    AdminResponse List(Uri uri, string baseUri)
    {
        System.Collections.Specialized.NameValueCollection query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        int skip = int.TryParse(query["$skip"], out int s) ? s : 0;
        int top = int.TryParse(query["$top"], out int t) ? t : 100;
        return new AdminResponse(200, "OK", FeedType,
            AtomQueueXml.Feed(ns.Queues.Skip(skip).Take(top), uri.AbsoluteUri, baseUri, "Queues", ns.Time.GetUtcNow()));
    }

    AdminResponse Put(string path, AdminRequest request, string baseUri)
    {
        QueueSettings settings;
        try
        {
            if (AtomQueueXml.Description(request.Body) is not { } description || !AtomQueueXml.IsQueueDescription(description))
            {
                return Error(400, "Bad Request", "Only queue descriptions are served: topics and subscriptions are left out of the Service Bus double.");
            }

            if (AtomQueueXml.Unsupported(description) is { } unsupported)
            {
                return Error(400, "Bad Request", unsupported);
            }

            settings = AtomQueueXml.Settings(description);
        }
        catch (Exception exception) when (exception is XmlException or FormatException or OverflowException)
        {
            return Error(400, "Bad Request", "The request body is not a queue description: " + exception.Message);
        }

        if (settings.Validate() is { } invalid)
        {
            return Error(400, "Bad Request", invalid);
        }

        return request.Headers.ContainsKey("If-Match") ? Update(path, settings, baseUri) : Create(path, settings, baseUri);
    }

    AdminResponse Create(string path, QueueSettings settings, string baseUri)
    {
        if (!ns.TryCreate(path, settings, out DoubleQueue queue))
        {
            return Error(409, "Conflict", $"The messaging entity '{path}' already exists.");
        }

        queueDeclared(queue.Name);
        return new AdminResponse(201, "Created", EntryType, AtomQueueXml.Entry(queue, baseUri));
    }

    AdminResponse Update(string path, QueueSettings settings, string baseUri)
    {
        if (ns.Find(path) is not { } queue)
        {
            return NotFound(path);
        }

        if (queue.Settings.RequiresDuplicateDetection != settings.RequiresDuplicateDetection)
        {
            return Error(400, "Bad Request", "RequiresDuplicateDetection cannot be changed on an existing queue.");
        }

        queue.Update(settings);
        return new AdminResponse(200, "OK", EntryType, AtomQueueXml.Entry(queue, baseUri));
    }

    static AdminResponse NotFound(string path) => Error(404, "Not Found", $"The messaging entity '{path}' could not be found.");

    static AdminResponse Error(int status, string reason, string detail) => new(status, reason, XmlType, AtomQueueXml.Error(status, detail));
}
