using IntegrationHub.Core.Procedures;

namespace IntegrationHub.Core.Routing;

/// <summary>Where a dossier goes: its one competent department, that department's queue and branch.</summary>
/// <param name="Procedure">The dossier's procedure.</param>
/// <param name="Department">The department that handles it (after following merges).</param>
/// <param name="ReceivingBranch">The branch that receives for that department.</param>
/// <param name="SectorSystem">The sector system it is also delivered to, if any.</param>
/// <param name="TableVersion">The routing table version it was routed by.</param>
public sealed record Route(Procedure Procedure, Department Department, string ReceivingBranch, string? SectorSystem, string TableVersion)
{
    /// <summary>The department's queue.</summary>
    public string Queue => Department.Queue!;
}

/// <summary>What went wrong routing a dossier.</summary>
public enum RoutingError
{
    /// <summary>The procedure is not in the catalogue.</summary>
    UnknownProcedure,
    /// <summary>No routing table version is in force at the receipt time.</summary>
    NoTableInForce,
    /// <summary>The procedure's department is not in the version in force.</summary>
    UnknownDepartment,
    /// <summary>The branch the dossier was handed in at is not in the version in force.</summary>
    UnknownBranch,
}

/// <summary>A dossier cannot be routed; the message names what is unknown. Never a silent default.</summary>
public sealed class RoutingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public RoutingException(RoutingError error, string subject, string message)
        : base(message)
    {
        Error = error;
        Subject = subject;
    }

    /// <summary>What went wrong.</summary>
    public RoutingError Error { get; }

    /// <summary>The unknown thing: a procedure, department or branch code, or a date.</summary>
    public string Subject { get; }
}
