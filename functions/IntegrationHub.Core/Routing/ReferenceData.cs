using IntegrationHub.Core.Calendar;
using IntegrationHub.Core.Procedures;

namespace IntegrationHub.Core.Routing;

/// <summary>
/// One consistent snapshot of the reference data (procedures, routing table, calendar), checked
/// against each other when created. Reloading swaps a whole snapshot at once.
/// </summary>
public sealed class ReferenceData
{
    private ReferenceData(ProcedureCatalogue procedures, RoutingTable routing, WorkingCalendar calendar)
    {
        Procedures = procedures;
        Routing = routing;
        Calendar = calendar;
    }

    /// <summary>The procedure catalogue.</summary>
    public ProcedureCatalogue Procedures { get; }

    /// <summary>The routing table.</summary>
    public RoutingTable Routing { get; }

    /// <summary>The working-day calendar.</summary>
    public WorkingCalendar Calendar { get; }

    /// <summary>
    /// Creates a snapshot after checking that every procedure's department is in the newest routing
    /// table version, so that no procedure the center handles today is unroutable.
    /// </summary>
    /// <exception cref="InvalidDataException">A procedure names a department the newest version lacks.</exception>
    public static ReferenceData Create(ProcedureCatalogue procedures, RoutingTable routing, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(procedures);
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(calendar);

        var newest = routing.Versions[^1];
        var orphans = procedures.All.Where(p => newest.Department(p.Department) is null).ToList();
        if (orphans.Count > 0)
        {
            var list = string.Join(", ", orphans.Select(p => $"{p.Code} → '{p.Department}'"));
            throw new InvalidDataException($"These procedures name departments that routing table version '{newest.Version}' does not list: {list}.");
        }

        return new ReferenceData(procedures, routing, calendar);
    }

    /// <summary>
    /// Routes a dossier: its procedure's competent department by the table in force at
    /// <paramref name="receivedAt"/>, following merges; the branch it was handed in at when that
    /// branch receives for the department, otherwise the department's first branch.
    /// </summary>
    /// <exception cref="RoutingException">The procedure, the department, the branch or a table in force is missing.</exception>
    public Route Route(string procedureCode, DateTimeOffset receivedAt, string? handedInAt = null)
    {
        var procedure = Procedures.Find(procedureCode)
            ?? throw new RoutingException(RoutingError.UnknownProcedure, procedureCode, $"The procedure '{procedureCode}' is not in the procedure catalogue.");

        var version = Routing.VersionAt(receivedAt)
            ?? throw new RoutingException(RoutingError.NoTableInForce, $"{VietnamTime.DateOf(receivedAt):yyyy-MM-dd}", $"No routing table version is in force on {VietnamTime.DateOf(receivedAt):yyyy-MM-dd}.");

        var entry = version.Department(procedure.Department)
            ?? throw new RoutingException(RoutingError.UnknownDepartment, procedure.Department, $"The department '{procedure.Department}' (competent for procedure {procedure.Code}) is not in routing table version '{version.Version}'.");

        if (handedInAt is not null && version.Branch(handedInAt) is null)
        {
            throw new RoutingException(RoutingError.UnknownBranch, handedInAt, $"The branch '{handedInAt}' is not in routing table version '{version.Version}'.");
        }

        var department = version.ResolveMerges(entry);
        var sector = entry.SectorSystem ?? department.SectorSystem;
        var branch = handedInAt is not null && department.Branches.Contains(handedInAt) ? handedInAt : department.Branches[0];
        return new Route(procedure, department, branch, sector, version.Version);
    }
}
