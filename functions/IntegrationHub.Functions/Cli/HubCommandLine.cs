using System.CommandLine;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Cli;

/// <summary>
/// The hub's command line, in the same program as the host: <c>token</c> mints development
/// tokens; <c>deadletters</c> lists, shows and replays dead letters through the operations API;
/// <c>audit</c> looks after the audit key and verifies the audit chains.
/// Anything else on the command line starts the host.
/// </summary>
internal static class HubCommandLine
{
    private static readonly string[] Verbs = ["token", "deadletters", "audit"];

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("IntegrationHub command line") { TokenCommand(output, error), DeadLettersCommand.Create(output, error), AuditCommand.Create(output, error) };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static Command TokenCommand(TextWriter output, TextWriter error)
    {
        var roles = new Option<string[]>("--role")
        {
            Description = "A role: portal, officer, ops, auditor, or department:<code> (repeat for several).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var subject = new Option<string>("--subject") { Description = "The account (sub).", DefaultValueFactory = _ => "dev-user" };
        var name = new Option<string?>("--name") { Description = "The display name (name)." };
        var unit = new Option<string?>("--unit") { Description = "The caller's unit (unit)." };
        var lifetime = new Option<TimeSpan>("--lifetime") { Description = "How long the token is valid (hh:mm:ss).", DefaultValueFactory = _ => TimeSpan.FromHours(8) };
        var command = new Command("token", "Mint a token from the local development key (Development only).") { roles, subject, name, unit, lifetime };
        command.SetAction(result =>
        {
            var given = result.GetValue(roles) ?? [];
            var unknown = given.Where(r => !HubRoles.Simple.Contains(r, StringComparer.Ordinal) && !(r.StartsWith(HubRoles.DepartmentPrefix, StringComparison.Ordinal) && r.Length > HubRoles.DepartmentPrefix.Length)).ToList();
            if (unknown.Count > 0)
            {
                error.WriteLine($"Unknown role(s): {string.Join(", ", unknown)}. Roles: {string.Join(", ", HubRoles.Simple)}, {HubRoles.DepartmentPrefix}<code>.");
                return 2;
            }

            var configuration = CliConfiguration.Load();
            try
            {
                var keys = DevelopmentKeys.LoadOrCreate(
                    configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.DevelopmentKeysDirectory)}"] ?? new SecurityOptions().DevelopmentKeysDirectory,
                    CliConfiguration.EnvironmentName,
                    out _);
                var token = keys.Mint(
                    new TokenRequest(result.GetValue(subject)!, given, result.GetValue(lifetime))
                    {
                        Name = result.GetValue(name),
                        Unit = result.GetValue(unit),
                        Issuer = configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.Issuer)}"],
                        Audience = configuration[$"{SecurityOptions.Section}:{nameof(SecurityOptions.Audience)}"],
                    },
                    TimeProvider.System.GetUtcNow());
                output.WriteLine(token);
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                error.WriteLine(ex.Message);
                return 2;
            }
        });
        return command;
    }
}

/// <summary>The host's configuration as the command line sees it (appsettings and environment).</summary>
internal static class CliConfiguration
{
    public static string EnvironmentName =>
        Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Production;

    public static IConfiguration Load() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddJsonFile($"appsettings.{EnvironmentName}.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
}
