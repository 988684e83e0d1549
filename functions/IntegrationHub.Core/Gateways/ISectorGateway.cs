using IntegrationHub.Schemas;

namespace IntegrationHub.Core.Gateways;

/// <summary>A sector system (land registration, business registration, ...) that receives routed dossiers.</summary>
public interface ISectorGateway
{
    /// <summary>The system's name in the routing table (<c>land</c>, <c>business</c>).</summary>
    string System { get; }

    /// <summary>Delivers a routed dossier; safe to repeat for the same city code (it carries an idempotency key).</summary>
    Task<SectorReceipt> DeliverAsync(DossierRouted dossier, CancellationToken cancellationToken);

    /// <summary>Asks for the status of a delivered dossier; null when the system does not know the receipt.</summary>
    Task<SectorStatus?> GetStatusAsync(string receiptId, CancellationToken cancellationToken);
}

/// <summary>The sector systems the hub knows.</summary>
public interface ISectorGateways
{
    /// <summary>The gateway of a system, or null when the hub has none configured for it.</summary>
    ISectorGateway? For(string system);
}

/// <summary>A sector system's receipt for a delivered dossier.</summary>
/// <param name="System">The sector system.</param>
/// <param name="ReceiptId">Its id for the dossier.</param>
/// <param name="AcceptedAt">When it accepted the dossier.</param>
public sealed record SectorReceipt(string System, string ReceiptId, DateTimeOffset AcceptedAt);

/// <summary>A dossier's status as a sector system reports it.</summary>
/// <param name="ReceiptId">The system's id for the dossier.</param>
/// <param name="CityCode">The city dossier code.</param>
/// <param name="Status">The status, in the portal's codes.</param>
/// <param name="Officer">Who acted, when the system says.</param>
/// <param name="Unit">The unit that acted.</param>
/// <param name="Action">What was done.</param>
/// <param name="At">When.</param>
public sealed record SectorStatus(string ReceiptId, string CityCode, DossierStatus Status, string? Officer, string Unit, string Action, DateTimeOffset At);
