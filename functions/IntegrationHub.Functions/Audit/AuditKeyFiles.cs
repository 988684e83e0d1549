using System.Security.Cryptography;
using IntegrationHub.Core.Audit;

namespace IntegrationHub.Functions.Audit;

/// <summary>Audit keys read from PEM files: the signing key, and the public halves of retired keys.</summary>
internal static class AuditKeyFiles
{
    public static AuditSigningKey ReadSigningKey(string path) => AuditSigningKey.FromPem(File.ReadAllText(path));

    /// <summary>The public key in a PEM file (a public key, or a private key whose public half is taken).</summary>
    public static AuditPublicKey ReadPublicKey(string path, bool current)
    {
        using var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{path} holds no ECDSA key in PEM: {error.Message}", error);
        }
        catch (CryptographicException error)
        {
            throw new InvalidDataException($"{path} holds no ECDSA key in PEM: {error.Message}", error);
        }

        var parameters = ec.ExportParameters(includePrivateParameters: false);
        return new AuditPublicKey(AuditKeyIds.Of(parameters), parameters, current);
    }

    /// <summary>What is wrong with a key file, or null.</summary>
    public static string? Problem(string path, bool requirePrivate)
    {
        if (!File.Exists(path))
        {
            return $"there is no file {Path.GetFullPath(path)}.";
        }

        try
        {
            if (requirePrivate)
            {
                ReadSigningKey(path).Dispose();
            }
            else
            {
                ReadPublicKey(path, current: false);
            }

            return null;
        }
        catch (Exception error) when (error is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be used: {error.Message}";
        }
    }
}
