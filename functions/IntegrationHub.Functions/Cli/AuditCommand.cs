using System.CommandLine;
using IntegrationHub.Functions.Audit;

namespace IntegrationHub.Functions.Cli;

/// <summary>The <c>audit</c> verbs: the audit key and, with the store, verification and export.</summary>
internal static class AuditCommand
{
    public static Command Create(TextWriter output, TextWriter error) => new("audit", "The tamper-evident audit chains: keys, verification, checkpoint export.")
    {
        RotateKey(output, error),
    };

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
}
