using System.CommandLine;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Audit;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Runtime.Store.Audit;
using IntegrationHub.Schemas;

namespace IntegrationHub.Functions.Cli;

/// <summary>
/// <c>audit verify|export|retain|rotate-key</c>. <c>verify</c> and <c>export</c> read the store
/// directly and read-only (<c>--database</c> or <c>--postgres</c>, default the hub's own settings) and
/// trust only the published keys (<c>--keys</c>: a JWK set file, or a URL, default the hub's
/// <c>/.well-known/audit-keys</c>): an auditor does not need to trust the hub's running code.
/// Exit codes: 0 intact (or done), 1 not intact, 2 cannot verify or refused.
/// </summary>
internal static class AuditCommand
{
    private static readonly JsonSerializerOptions Indented = new(HubJson.Options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var url = new Option<string>("--url")
        {
            Description = "The hub (default: HUB_URL, else http://127.0.0.1:5080): its public audit keys, and the API for retain.",
            Recursive = true,
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HUB_URL") ?? "http://127.0.0.1:5080",
        };
        var store = new StoreOptions();
        return new Command("audit", "The tamper-evident audit chains: verification, checkpoint export, retention, the development key.")
        {
            url, store.Database, store.Postgres,
            Verify(url, store, output, error), Export(store, output, error), Retain(url, output, error), RotateKey(output, error),
        };
    }

    private static Command Verify(Option<string> url, StoreOptions store, TextWriter output, TextWriter error)
    {
        var keys = new Option<string?>("--keys") { Description = "The public audit keys: a JWK set file, or its URL (default: <url>/.well-known/audit-keys)." };
        var from = new Option<long?>("--from") { Description = "Start at this checkpoint (its signature must hold) instead of the beginning." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "An exported checkpoint file (audit export) kept outside the hub: each must still hold." };
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON." };
        var command = new Command("verify", "Recompute every chain, check every signature and exported checkpoint; say where it does not hold.") { keys, from, checkpoints, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                using var trusted = AuditKeySet.FromJwks(await ReadKeysAsync(result.GetValue(keys) ?? $"{result.GetValue(url)!.TrimEnd('/')}{PublishAuditKeysOnHttp.Path}", cancellationToken));
                var exported = result.GetValue(checkpoints) is { } file ? CheckpointExports.Read(await File.ReadAllTextAsync(file, cancellationToken)) : [];
                await using var snapshot = await store.OpenAsync(result, cancellationToken);
                var report = await new AuditVerifier(trusted, TimeProvider.System).VerifyAsync(snapshot, new AuditVerificationRequest { From = result.GetValue(from), Exported = exported }, cancellationToken);
                await output.WriteLineAsync(result.GetValue(json) ? JsonSerializer.Serialize(report, Indented) : Describe(report));
                return report.Intact ? 0 : 1;
            }
            catch (Exception ex) when (ex is FormatException or IOException or HttpRequestException or DbException or CheckpointNotFoundException or UnauthorizedAccessException or InvalidOperationException)
            {
                await error.WriteLineAsync($"Cannot verify: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static Command Export(StoreOptions store, TextWriter output, TextWriter error)
    {
        var file = new Option<string?>("--out") { Description = "The file to write (default: standard output)." };
        var command = new Command("export", "Write the store's signed checkpoints to a file an auditor keeps (integrationhub-audit-checkpoints/1).") { file };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                await using var snapshot = await store.OpenAsync(result, cancellationToken);
                var checkpoints = await snapshot.CheckpointsAsync(cancellationToken);
                var text = CheckpointExports.Write(CheckpointExports.Of(checkpoints, Core.VietnamTime.ToLocal(TimeProvider.System.GetUtcNow())));
                if (result.GetValue(file) is { } path)
                {
                    await File.WriteAllTextAsync(path, text, cancellationToken);
                    await output.WriteLineAsync(checkpoints.Count == 0 ? $"No checkpoint signed yet; wrote an empty export to {path}." : $"Wrote checkpoints {checkpoints[0].Number} to {checkpoints[^1].Number} to {path}.");
                }
                else
                {
                    await output.WriteLineAsync(text);
                }

                return 0;
            }
            catch (Exception ex) when (ex is IOException or DbException or UnauthorizedAccessException or InvalidOperationException)
            {
                await error.WriteLineAsync($"Cannot export: {ex.Message}");
                return 2;
            }
        });
        return command;
    }

    private static Command Retain(Option<string> url, TextWriter output, TextWriter error)
    {
        var token = new Option<string?>("--token") { Description = "An ops bearer token (default: HUB_TOKEN)." };
        var through = new Option<long>("--through") { Description = "The checkpoint whose entries are deleted (it is kept).", Required = true };
        var comment = new Option<string>("--comment") { Description = "Why (kept in the operator audit log).", Required = true };
        var command = new Command("retain", "Delete every entry a checkpoint older than Audit:RetentionMinimumAge covers, through the hub: signed for and recorded.") { token, through, comment };
        command.SetAction(async (result, cancellationToken) =>
        {
            var bearer = result.GetValue(token) ?? Environment.GetEnvironmentVariable("HUB_TOKEN");
            if (string.IsNullOrEmpty(bearer))
            {
                await error.WriteLineAsync("An ops token is needed: --token, or HUB_TOKEN.");
                return 2;
            }

            try
            {
                using var api = new OpsApiClient(new Uri(result.GetValue(url)!), bearer);
                var request = new JsonObject { ["throughCheckpoint"] = result.GetValue(through), ["comment"] = result.GetValue(comment) };
                var answer = await api.CallAsync((ops, ct) => ops.RetainAuditEntriesAsync(request, ct), cancellationToken);
                await output.WriteLineAsync($"Retention through checkpoint {answer["throughCheckpoint"]}: {answer["entries"]} entries and {answer["seals"]} seals deleted; the chains now verify from that checkpoint.");
                return 0;
            }
            catch (OpsApiException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return 2;
            }
        });
        return command;
    }

    /// <summary>Retires the development audit key and makes a new one (Development only); production keys rotate by configuration.</summary>
    private static Command RotateKey(TextWriter output, TextWriter error)
    {
        var command = new Command("rotate-key", "Retire the development audit key (its public half kept, so earlier checkpoints stay verifiable) and make a new one. Development only; restart the hub to sign with it.");
        command.SetAction(_ =>
        {
            if (CliConfiguration.EnvironmentName != Environments.Development)
            {
                error.WriteLine($"rotate-key changes the development audit key only, and is refused in the '{CliConfiguration.EnvironmentName}' environment. To rotate a production key: add the current key file to Audit:RetiredKeyPaths, point Audit:SigningKeyPath at the new one, and restart every hub instance.");
                return 2;
            }

            var directory = CliConfiguration.Load()[$"{AuditOptions.Section}:{nameof(AuditOptions.DevelopmentKeysDirectory)}"] ?? new AuditOptions().DevelopmentKeysDirectory;
            var (retired, current) = DevelopmentAuditKeys.Rotate(directory);
            output.WriteLine($"Retired audit key {retired} (its public key stays published); signing with {current} once the hub restarts.");
            return 0;
        });
        return command;
    }

    private static async Task<string> ReadKeysAsync(string source, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return await File.ReadAllTextAsync(source, cancellationToken);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return await http.GetStringAsync(uri, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new HttpRequestException($"the audit keys cannot be read from {uri} ({ex.Message}); give them with --keys <file>.", ex);
        }
    }

    private static string Describe(AuditVerificationReport report)
    {
        var lines = new List<string> { report.Summary, "" };
        lines.Add($"{"chain",-10} {"log",-22} {"from",8} {"entries",9} {"after last checkpoint",22} {"unsealed",9}");
        lines.AddRange(report.Chains.Select(c => $"{c.Chain,-10} {c.Log,-22} {c.FirstPosition,8} {c.Entries,9} {c.AfterLastCheckpoint,22} {c.Unsealed,9}"));
        if (report.LastCheckpoint is { } last)
        {
            lines.Add($"Last checkpoint: {last.Number} of {last.At:dd/MM/yyyy HH:mm:ss zzz}, key {last.KeyId}; {report.Checkpoints} checkpoints and {report.ExportedCheckpoints} exported ones checked.");
        }

        foreach (var finding in report.Findings)
        {
            lines.Add("");
            lines.Add($"{finding.Problem}: {finding.Message}");
            lines.Add($"  expected: {finding.Expected}");
            lines.Add($"  found:    {finding.Found}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Which store to read: the options given, else the hub's own settings (appsettings and environment).</summary>
    private sealed class StoreOptions
    {
        public Option<string?> Database { get; } = new("--database") { Description = "A SQLite hub database file (default: the hub's Messaging settings).", Recursive = true };

        public Option<string?> Postgres { get; } = new("--postgres") { Description = "A PostgreSQL connection string, preferably of a read-only role (default: the hub's Messaging settings).", Recursive = true };

        public Task<IAuditSnapshot> OpenAsync(ParseResult result, CancellationToken cancellationToken)
        {
            if (result.GetValue(Postgres) is { Length: > 0 } connection)
            {
                return AuditStoreReader.OpenPostgresAsync(connection, cancellationToken);
            }

            if (result.GetValue(Database) is { Length: > 0 } path)
            {
                return AuditStoreReader.OpenSqliteAsync(path, cancellationToken);
            }

            var settings = CliConfiguration.Load();
            return string.Equals(settings["Messaging:Store"], "postgres", StringComparison.OrdinalIgnoreCase)
                ? AuditStoreReader.OpenPostgresAsync(settings["Messaging:PostgreSql:ConnectionString"] ?? throw new InvalidOperationException("Messaging:PostgreSql:ConnectionString is not set; give --postgres."), cancellationToken)
                : AuditStoreReader.OpenSqliteAsync(settings["Messaging:DatabasePath"] ?? Path.Combine(".hub", "hub.db"), cancellationToken);
        }
    }
}
