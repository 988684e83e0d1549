using System.Security.Claims;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Security;

namespace IntegrationHub.Functions.Operations;

/// <summary>Who acts, as the audit log records it: the token's subject, name and unit.</summary>
internal sealed record Operator(string Subject, string Name, string Unit)
{
    public static Operator Of(ClaimsPrincipal user) => new(user.CallerId(), user.DisplayName(), user.Unit());
}

/// <summary>
/// A request the operations API cannot carry out, with the problem type to answer with and, for a
/// bad field, the field's name.
/// </summary>
internal sealed class OperationsRequestException(string problemType, string message, string? field = null, IReadOnlyList<string>? missing = null) : Exception(message)
{
    public string ProblemType { get; } = problemType;

    public string? Field { get; } = field;

    public IReadOnlyList<string>? Missing { get; } = missing;

    /// <summary>The problem response: the field at fault in <c>errors</c>, the ids not found in <c>missing</c>.</summary>
    public IResult ToResult()
    {
        var extensions = new Dictionary<string, object?>();
        if (Field is not null)
        {
            extensions["errors"] = new[] { new FieldError(Field, Message) };
        }

        if (Missing is not null)
        {
            extensions["missing"] = Missing;
        }

        return Problems.Result(ProblemType, Message, extensions);
    }
}
