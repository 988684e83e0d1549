using System.Security.Claims;

namespace IntegrationHub.Functions.Security;

/// <summary>The roles a token can carry (claim <c>roles</c>) and the policies built on them.</summary>
internal static class HubRoles
{
    public const string ClaimType = "roles";
    public const string Portal = "portal";
    public const string Officer = "officer";
    public const string Ops = "ops";
    public const string Auditor = "auditor";
    public const string DepartmentPrefix = "department:";

    /// <summary>The policy of department callers: any <c>department:&lt;code&gt;</c> role.</summary>
    public const string Department = "department";

    public static readonly string[] Simple = [Portal, Officer, Ops, Auditor];

    /// <summary>The department codes the caller acts for.</summary>
    public static IReadOnlyList<string> DepartmentCodes(this ClaimsPrincipal user) =>
        [.. user.FindAll(ClaimType).Select(c => c.Value).Where(v => v.StartsWith(DepartmentPrefix, StringComparison.Ordinal) && v.Length > DepartmentPrefix.Length).Select(v => v[DepartmentPrefix.Length..])];

    /// <summary>Whether the caller acts for the department.</summary>
    public static bool ActsFor(this ClaimsPrincipal user, string department) => user.HasClaim(ClaimType, DepartmentPrefix + department);

    /// <summary>The caller's account (<c>sub</c>).</summary>
    public static string CallerId(this ClaimsPrincipal user) => user.FindFirstValue("sub") ?? "anonymous";

    /// <summary>The caller's display name (<c>name</c>), falling back to the account.</summary>
    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue("name") ?? user.CallerId();

    /// <summary>The caller's unit (<c>unit</c>), when the token says.</summary>
    public static string Unit(this ClaimsPrincipal user) => user.FindFirstValue("unit") ?? "";
}
