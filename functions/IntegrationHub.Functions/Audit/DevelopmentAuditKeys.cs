using IntegrationHub.Core.Audit;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// The development audit key: made at first use under the development keys directory (private key
/// readable by its owner only), and rotated on request, the old key's public half kept under
/// <c>audit-retired-keys/</c> so that the checkpoints it signed stay verifiable. Development only.
/// </summary>
internal static class DevelopmentAuditKeys
{
    public const string SigningKeyFile = "audit-signing-key.pem";
    public const string RetiredFolder = "audit-retired-keys";

    /// <summary>The key's path, made first when missing; <paramref name="created"/> says which.</summary>
    public static string LoadOrCreate(string directory, out bool created)
    {
        var path = Path.Combine(Path.GetFullPath(directory), SigningKeyFile);
        created = !File.Exists(path);
        if (created)
        {
            using var key = AuditSigningKey.Create();
            Write(path, key);
        }

        return path;
    }

    /// <summary>The public key files of the development keys retired so far.</summary>
    public static string[] Retired(string directory)
    {
        var folder = Path.Combine(Path.GetFullPath(directory), RetiredFolder);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "*.pem").Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>Retires the current development key (its public half kept) and makes a new one; answers both key ids.</summary>
    public static (string Retired, string Current) Rotate(string directory)
    {
        var path = LoadOrCreate(directory, out _);
        using var old = AuditKeyFiles.ReadSigningKey(path);
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(path)!, RetiredFolder)).FullName;
        File.WriteAllText(Path.Combine(folder, $"{old.KeyId}.pem"), old.PublicKeyPem());
        using var next = AuditSigningKey.Create();
        Write(path, next);
        return (old.KeyId, next.KeyId);
    }

    private static void Write(string path, AuditSigningKey key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".new";
        File.WriteAllText(temporary, key.ExportPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
