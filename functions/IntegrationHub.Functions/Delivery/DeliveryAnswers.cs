namespace IntegrationHub.Functions.Delivery;

/// <summary>The dossiers a department pulled, each held for it under a lock until acknowledged.</summary>
internal sealed record DepartmentDossiers(string Department, IReadOnlyList<PulledDossier> Dossiers);
