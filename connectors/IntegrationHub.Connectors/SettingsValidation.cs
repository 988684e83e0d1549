using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Connectors;

/// <summary>
/// Checks a connector's settings with their DataAnnotations, the nested ones (retry, breaker,
/// concurrency) included, and names each failure by its full configuration key
/// (<c>Connectors:Portal:BaseUrl: …</c>), so that a bad setting stops the host saying which one.
/// </summary>
internal sealed class SettingsValidation<TOptions>(string? name, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? optionsName, TOptions options)
    {
        if (name is not null && name != optionsName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        Check(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object settings, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? string.Join(", ", result.MemberNames.Select(m => $"{prefix}:{m}")) : prefix;
            failures.Add($"{members}: {result.ErrorMessage}");
        }

        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.Namespace?.StartsWith("IntegrationHub", StringComparison.Ordinal) == true
                && property.PropertyType.IsClass
                && property.GetValue(settings) is { } nested)
            {
                Check(nested, $"{prefix}:{property.Name}", failures);
            }
        }
    }
}
