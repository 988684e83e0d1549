using System.Data.Common;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub database: one store for the hub's state, its inbox and outbox, and (on the embedded
/// transport) its queues. Every migration contributed with
/// <see cref="HubStoreServiceCollectionExtensions.AddHubMigrations"/> is applied before a
/// connection is handed out.
/// </summary>
public interface IHubDatabase
{
    /// <summary>The database's SQL dialect.</summary>
    SqlDialect Dialect { get; }

    /// <summary>
    /// Opens a connection, for reads. A change that goes with messages or an inbox record belongs in
    /// an <see cref="IntegrationHub.Core.Messaging.IHubTransaction"/> instead, so that they commit together.
    /// </summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
