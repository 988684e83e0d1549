using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.ServiceBusDouble.Broker;

/// <summary>
/// Checks a shared access signature as a namespace does: the rule name, the HMAC-SHA256 signature
/// over <c>url-encoded resource + "\n" + expiry</c> with the rule's key (the SDK's
/// <c>SharedAccessSignature.BuildSignature</c>), the expiry, and that the signed resource covers the
/// entity asked for.
/// </summary>
internal sealed class SasTokenValidator(string keyName, string key, TimeProvider wallClock)
{
    const string Prefix = "SharedAccessSignature ";

    /// <summary>Null when the token grants access to <paramref name="audience"/>; otherwise the reason it does not.</summary>
    public string? Check(string? token, string audience)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return "The token is not a shared access signature.";
        }

        Dictionary<string, string> fields = Parse(token[Prefix.Length..]);
        if (!fields.TryGetValue("sr", out string? resource) || !fields.TryGetValue("sig", out string? signature) ||
            !fields.TryGetValue("se", out string? expiry) || !fields.TryGetValue("skn", out string? name))
        {
            return "The shared access signature lacks sr, sig, se or skn.";
        }

        if (!string.Equals(WebUtility.UrlDecode(name), keyName, StringComparison.Ordinal))
        {
            return $"The shared access key name '{WebUtility.UrlDecode(name)}' is not known.";
        }

        if (!SignatureMatches(resource, expiry, WebUtility.UrlDecode(signature)))
        {
            return "The shared access signature does not match the key.";
        }

        if (!long.TryParse(WebUtility.UrlDecode(expiry), NumberStyles.Integer, CultureInfo.InvariantCulture, out long seconds) ||
            DateTimeOffset.FromUnixTimeSeconds(seconds) <= wallClock.GetUtcNow())
        {
            return "The shared access signature has expired.";
        }

        return Covers(WebUtility.UrlDecode(resource), audience) ? null : $"The token's resource does not cover '{audience}'.";
    }

    bool SignatureMatches(string encodedResource, string encodedExpiry, string signature)
    {
        // The SDK signs the url-encoded resource as it appears in the token.
        byte[] data = Encoding.UTF8.GetBytes(encodedResource + "\n" + WebUtility.UrlDecode(encodedExpiry));
        byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), data);
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>A resource covers an audience with the same host whose path it prefixes (schemes differ: amqps, amqp, http).</summary>
    static bool Covers(string resource, string audience)
    {
        if (!Uri.TryCreate(resource, UriKind.Absolute, out Uri? signed) || !Uri.TryCreate(audience, UriKind.Absolute, out Uri? asked))
        {
            return false;
        }

        string signedPath = signed.AbsolutePath.TrimEnd('/') + "/";
        string askedPath = asked.AbsolutePath.TrimEnd('/') + "/";
        return string.Equals(signed.Host, asked.Host, StringComparison.OrdinalIgnoreCase) &&
            askedPath.StartsWith(signedPath, StringComparison.OrdinalIgnoreCase);
    }

    static Dictionary<string, string> Parse(string fields)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string pair in fields.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
            }
        }

        return result;
    }
}
