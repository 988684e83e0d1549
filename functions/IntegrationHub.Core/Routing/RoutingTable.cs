using System.Text.Json;
using IntegrationHub.Core.Calendar;

namespace IntegrationHub.Core.Routing;

/// <summary>
/// The routing table as data (<c>data/routing.json</c>): effective-dated versions, each saying
/// which branch receives for which department, the department's queue and its sector system.
/// Departments merge and split; a dossier routes by the version in force when it was received.
/// </summary>
public sealed class RoutingTable
{
    /// <summary>Creates a table from versions.</summary>
    /// <exception cref="InvalidDataException">The versions overlap or a version is inconsistent.</exception>
    public RoutingTable(IEnumerable<RoutingTableVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        Versions = versions.OrderBy(v => v.ValidFrom).ToList();
        if (Versions.Count == 0)
        {
            throw new InvalidDataException("The routing table has no versions.");
        }

        for (var i = 0; i < Versions.Count; i++)
        {
            Versions[i].Validate();
            if (i > 0 && (Versions[i - 1].ValidTo is not { } previousEnd || previousEnd > Versions[i].ValidFrom))
            {
                throw new InvalidDataException($"Routing table versions '{Versions[i - 1].Version}' and '{Versions[i].Version}' overlap: the earlier one must end (validTo) on or before {Versions[i].ValidFrom:yyyy-MM-dd}.");
            }
        }
    }

    /// <summary>The versions, oldest first.</summary>
    public IReadOnlyList<RoutingTableVersion> Versions { get; }

    /// <summary>The version in force at an instant (by Vietnam calendar date), if any.</summary>
    public RoutingTableVersion? VersionAt(DateTimeOffset instant)
    {
        var day = VietnamTime.DateOf(instant);
        return Versions.LastOrDefault(v => v.ValidFrom <= day && (v.ValidTo is null || day < v.ValidTo));
    }

    /// <summary>Reads a table from JSON.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed or inconsistent.</exception>
    public static RoutingTable Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var file = JsonSerializer.Deserialize<RoutingFile>(json, DataJson.Options)
                ?? throw new InvalidDataException("The routing table is empty.");
            return new RoutingTable(file.Versions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The routing table is not valid: {ex.Message}", ex);
        }
    }

    private sealed record RoutingFile
    {
        public IReadOnlyList<string> Notes { get; init; } = [];

        public required IReadOnlyList<RoutingTableVersion> Versions { get; init; }
    }
}

/// <summary>One effective-dated version of the routing table.</summary>
public sealed record RoutingTableVersion
{
    /// <summary>The version's name, recorded on every dossier routed by it.</summary>
    public required string Version { get; init; }

    /// <summary>First Vietnam calendar day it is in force.</summary>
    public required DateOnly ValidFrom { get; init; }

    /// <summary>First day it is no longer in force; open-ended when absent.</summary>
    public DateOnly? ValidTo { get; init; }

    /// <summary>Where the assignments come from.</summary>
    public required string Source { get; init; }

    /// <summary>The center's receiving branches.</summary>
    public required IReadOnlyList<Branch> Branches { get; init; }

    /// <summary>The departments, and departments merged into others.</summary>
    public required IReadOnlyList<Department> Departments { get; init; }

    /// <summary>Finds a department entry by code.</summary>
    public Department? Department(string code) => Departments.FirstOrDefault(d => d.Code == code);

    /// <summary>Finds a branch by code.</summary>
    public Branch? Branch(string code) => Branches.FirstOrDefault(b => b.Code == code);

    internal void Validate()
    {
        if (ValidTo is { } end && end <= ValidFrom)
        {
            throw new InvalidDataException($"Routing table version '{Version}' ends ({end:yyyy-MM-dd}) before it starts ({ValidFrom:yyyy-MM-dd}).");
        }

        Unique(Branches.Select(b => b.Code), "branch");
        Unique(Departments.Select(d => d.Code), "department");
        Unique(Departments.Where(d => d.Queue is not null).Select(d => d.Queue!), "queue");

        foreach (var department in Departments)
        {
            if (department.MergedInto is { } target)
            {
                if (department.Queue is not null || department.Branches.Count > 0)
                {
                    throw new InvalidDataException($"Department '{department.Code}' in routing table version '{Version}' is merged into '{target}', so it has no queue or branches of its own.");
                }

                ResolveMerges(department);
                continue;
            }

            if (string.IsNullOrWhiteSpace(department.Queue) || string.IsNullOrWhiteSpace(department.Name) || department.Branches.Count == 0)
            {
                throw new InvalidDataException($"Department '{department.Code}' in routing table version '{Version}' needs a name, a queue and at least one receiving branch.");
            }

            var unknown = department.Branches.FirstOrDefault(b => Branch(b) is null);
            if (unknown is not null)
            {
                throw new InvalidDataException($"Department '{department.Code}' in routing table version '{Version}' is received by branch '{unknown}', which the version does not list.");
            }
        }
    }

    /// <summary>Follows merges from an entry to the department that handles its dossiers now.</summary>
    internal Department ResolveMerges(Department entry)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { entry.Code };
        var current = entry;
        while (current.MergedInto is { } target)
        {
            current = Department(target)
                ?? throw new InvalidDataException($"Department '{entry.Code}' in routing table version '{Version}' is merged into '{target}', which the version does not list.");
            if (!seen.Add(current.Code))
            {
                throw new InvalidDataException($"Departments in routing table version '{Version}' are merged into each other in a circle ('{entry.Code}' → … → '{current.Code}').");
            }
        }

        return current;
    }

    private void Unique(IEnumerable<string> codes, string what)
    {
        var duplicate = codes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"Routing table version '{Version}' lists the {what} '{duplicate.Key}' twice.");
        }
    }
}

/// <summary>A receiving branch of the center.</summary>
public sealed record Branch
{
    /// <summary>Branch code, e.g. <c>TAYHO</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Branch name.</summary>
    public required string Name { get; init; }

    /// <summary>Where it receives applicants.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];
}

/// <summary>
/// A department entry of a routing table version: either a department with its queue and
/// receiving branches, or one merged into another (its dossiers go to that one).
/// </summary>
public sealed record Department
{
    /// <summary>Department code, e.g. <c>STP</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Official name.</summary>
    public string? Name { get; init; }

    /// <summary>Name in English.</summary>
    public string? EnglishName { get; init; }

    /// <summary>The queue its dossiers are delivered to.</summary>
    public string? Queue { get; init; }

    /// <summary>The branches that receive for it; the first is where its dossiers go by default.</summary>
    public IReadOnlyList<string> Branches { get; init; } = [];

    /// <summary>The sector system its dossiers are also delivered to (e.g. <c>land</c>, <c>business</c>).</summary>
    public string? SectorSystem { get; init; }

    /// <summary>The department it was merged into, when it no longer exists on its own.</summary>
    public string? MergedInto { get; init; }
}
