using System.Runtime.CompilerServices;
using Microsoft.Azure.Amqp;

namespace IntegrationHub.ServiceBusDouble.Amqp;

/// <summary>
/// The audiences each connection has proven access to with a CBS <c>put-token</c>. A link may attach
/// only to an entity one of its connection's tokens covers, as on a namespace.
/// </summary>
internal sealed class ConnectionClaims
{
    readonly ConditionalWeakTable<AmqpConnection, List<string>> audiences = [];

    public void Grant(AmqpConnection connection, string audience)
    {
        List<string> granted = audiences.GetValue(connection, _ => []);
        lock (granted)
        {
            granted.Add(PathOf(audience));
        }
    }

    /// <summary>True when a token the connection put covers the link's entity path.</summary>
    public bool Covers(AmqpConnection connection, string linkAddress)
    {
        if (!audiences.TryGetValue(connection, out List<string>? granted))
        {
            return false;
        }

        string path = PathOf(linkAddress);
        lock (granted)
        {
            return granted.Exists(audience => path.StartsWith(audience, StringComparison.OrdinalIgnoreCase));
        }
    }

    static string PathOf(string address)
    {
        string path = Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) && !string.IsNullOrEmpty(uri.Host)
            ? uri.AbsolutePath
            : address;
        return "/" + Uri.UnescapeDataString(path).Trim('/') + "/";
    }
}
