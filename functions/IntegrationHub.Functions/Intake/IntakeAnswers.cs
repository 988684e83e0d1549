namespace IntegrationHub.Functions.Intake;

/// <summary>What became of a webhook push's items (202): recorded and sent on, already known, or dead-lettered with the reason.</summary>
internal sealed record WebhookReceipt(int Accepted, int Duplicates, int DeadLettered);

/// <summary>
/// A webhook push in the portal's own format, as its <c>DongBoHoSoMC</c> sends dossiers: <c>{ "data": [ dossier, … ] }</c>,
/// each dossier in the portal's field names (<c>MaHoSo</c>, <c>ChuHoSo</c>, …; see connectors/README.md).
/// </summary>
internal sealed record PortalPush(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Data);
