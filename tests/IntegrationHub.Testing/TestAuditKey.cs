using IntegrationHub.Core.Audit;

namespace IntegrationHub.Testing;

/// <summary>
/// The audit signing key of the hubs under test: one P-256 key per test process, in a PEM file that
/// <see cref="HubSettings"/> points <c>Audit:SigningKeyPath</c> at (child processes read the same file).
/// </summary>
public static class TestAuditKey
{
    private static readonly Lazy<string> File = new(Write);

    /// <summary>The PEM file of the key.</summary>
    public static string Path => File.Value;

    /// <summary>The key, read from its file.</summary>
    public static AuditSigningKey Read() => AuditSigningKey.FromPem(System.IO.File.ReadAllText(Path));

    private static string Write()
    {
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "integrationhub-tests", "audit-keys")).FullName;
        var path = System.IO.Path.Combine(folder, $"audit-{Environment.ProcessId}-{Guid.NewGuid():N}.pem");
        using var key = AuditSigningKey.Create();
        System.IO.File.WriteAllText(path, key.ExportPem());
        return path;
    }
}
