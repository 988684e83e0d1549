using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions;

/// <summary>
/// What a failure at start says to an operator, when it is a refusal of the configuration: options
/// that failed validation (one line per failure), a value the binder could not read, a setting named
/// something that is not there (a file, a folder). Anything else is not a settings problem: null.
/// </summary>
internal static partial class StartRefusal
{
    public static IReadOnlyList<string>? Lines(Exception exception) => exception switch
    {
        OptionsValidationException options => [.. options.Failures.Select(Unwrap)],
        AggregateException aggregate when aggregate.InnerExceptions.Select(Lines).ToList() is var inner && inner.TrueForAll(l => l is not null) =>
            [.. inner.SelectMany(l => l!)],
        InvalidOperationException or InvalidDataException or FormatException => [Describe(exception)],
        _ => null,
    };

    /// <summary>The error of a data-annotations failure, which names the setting, without the wrapper that names a class.</summary>
    private static string Unwrap(string failure) => DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["error"].Value : failure;

    /// <summary>The message, and the inner one that says why (the binder's "abc is not a valid value for Int32").</summary>
    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{exception.Message} {inner.Message}"
            : exception.Message;

    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
