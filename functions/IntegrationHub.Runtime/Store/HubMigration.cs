namespace IntegrationHub.Runtime.Store;

/// <summary>The SQL dialects a hub store speaks.</summary>
public enum SqlDialect
{
    /// <summary>SQLite 3.35 or later (the embedded store).</summary>
    Sqlite,

    /// <summary>PostgreSQL 15 or later.</summary>
    PostgreSql,
}

/// <summary>
/// One versioned change to the hub database. Every component contributes its own with
/// <see cref="HubStoreServiceCollectionExtensions.AddHubMigrations"/>; the store applies those not
/// yet applied, in version order, each in its own transaction, before it is first used.
/// </summary>
/// <param name="Version">Unique across the hub; never reused, never changed once shipped.</param>
/// <param name="Name">What the migration does, recorded beside its version.</param>
/// <param name="Sqlite">The SQL for SQLite (several statements may follow one another).</param>
/// <param name="PostgreSql">
/// The SQL for PostgreSQL: the same text when it is portable; null until a PostgreSQL store needs it.
/// </param>
public sealed record HubMigration(long Version, string Name, string Sqlite, string? PostgreSql = null)
{
    /// <summary>The SQL to run on <paramref name="dialect"/>.</summary>
    /// <exception cref="InvalidOperationException">The migration has no SQL for that dialect.</exception>
    public string SqlFor(SqlDialect dialect) => dialect switch
    {
        SqlDialect.Sqlite => Sqlite,
        SqlDialect.PostgreSql => PostgreSql ?? throw new InvalidOperationException($"Migration {Version} ({Name}) has no PostgreSQL SQL."),
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown SQL dialect."),
    };
}
