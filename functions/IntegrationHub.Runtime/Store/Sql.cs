using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The hub store's one set of SQL helpers, for both databases: commands, parameters, rows read by
/// column name, and instants kept as Unix milliseconds. SQLite and PostgreSQL both take <c>@name</c>
/// parameters (SQLite <c>$name</c> too). Text and numbers are bound with their type, so that a null
/// still tells PostgreSQL what it is (<c>@name IS NULL</c> needs a typed parameter there).
/// </summary>
internal static class Sql
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Statements = new();
    private static readonly ConditionalWeakTable<SqliteConnection, KeptStatements> Kept = new();

    /// <summary>
    /// A command on the connection (dispose it). On a connection that keeps its statements (the hub
    /// writer's, see <see cref="KeepStatements"/>) it is that SQL's prepared command, without parameters:
    /// disposing it keeps it for the next use.
    /// </summary>
    public static DbCommand Command(this DbConnection connection, string sql)
    {
        if (connection is SqliteConnection sqlite && Kept.TryGetValue(sqlite, out var kept))
        {
            return kept.Get(sql, unbound: true);
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// A command kept with its long-lived connection (the hub writer's), so that the database parses its
    /// statement once: not to be disposed, and bound afresh (<see cref="Param(DbCommand, string, object?)"/>) on every use.
    /// </summary>
    public static DbCommand Prepared(this DbConnection connection, string sql)
    {
        if (connection is SqliteConnection sqlite && Kept.TryGetValue(sqlite, out var kept))
        {
            return kept.Get(sql, unbound: false);
        }

        var cache = Statements.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.Command(sql);
            cache[sql] = command;
        }

        return command;
    }

    /// <summary>
    /// From now on every command made on <paramref name="connection"/> is prepared once per SQL text and
    /// kept (SQLite parses and plans a statement anew for every new command): for a connection that one
    /// caller at a time uses for the life of the process, the hub writer's.
    /// </summary>
    public static void KeepStatements(this SqliteConnection connection) => Kept.AddOrUpdate(connection, new KeptStatements(connection));

    /// <summary>Finalizes the statements kept on <paramref name="connection"/>, before it closes.</summary>
    public static void ReleaseStatements(this SqliteConnection connection)
    {
        if (Kept.TryGetValue(connection, out var kept))
        {
            Kept.Remove(connection);
            kept.Release();
        }
    }

    /// <summary>Runs statements that return nothing.</summary>
    public static int Execute(this DbConnection connection, string sql)
    {
        using var command = connection.Command(sql);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs statements that return nothing.</summary>
    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Binds a value whose type the database infers (arrays on PostgreSQL), adding the parameter the first time.</summary>
    public static DbCommand Param(this DbCommand command, string name, object? value) => Bind(command, name, value, null);

    public static DbCommand Param(this DbCommand command, string name, string? value) => Bind(command, name, value, DbType.String);

    public static DbCommand Param(this DbCommand command, string name, long? value) => Bind(command, name, value, DbType.Int64);

    public static DbCommand Param(this DbCommand command, string name, int? value) => Bind(command, name, value, DbType.Int32);

    public static DbCommand Param(this DbCommand command, string name, byte[]? value) => Bind(command, name, value, DbType.Binary);

    /// <summary>Binds an instant as Unix milliseconds, as the store keeps every time.</summary>
    public static DbCommand Param(this DbCommand command, string name, DateTimeOffset? value) => Bind(command, name, value?.ToUnixTimeMilliseconds(), DbType.Int64);

    /// <summary>Runs the query and reads every row with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadListAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs the query and reads every row with <paramref name="read"/>, for the writer's synchronous work.</summary>
    public static List<T> ReadList<T>(this DbCommand command, Func<DbDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first column of the first row as a number (a count, an id), 0 when there is none.</summary>
    public static async Task<long> ReadInt64Async(this DbCommand command, CancellationToken cancellationToken) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, CultureInfo.InvariantCulture);

    public static string Text(this DbDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    public static string? TextOrNull(this DbDataReader reader, string column) => reader.TextOrNull(reader.GetOrdinal(column));

    /// <summary>The text at <paramref name="ordinal"/>, or null. The by-position readers serve rows read many times a dossier: Microsoft.Data.Sqlite finds a column by name by reading each column's name from SQLite again.</summary>
    public static string? TextOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long Int64(this DbDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column));

    public static long? Int64OrNull(this DbDataReader reader, string column) => reader.Int64OrNull(reader.GetOrdinal(column));

    public static long? Int64OrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static int Int32(this DbDataReader reader, string column) => reader.GetInt32(reader.GetOrdinal(column));

    public static int? Int32OrNull(this DbDataReader reader, string column) => reader.Int32OrNull(reader.GetOrdinal(column));

    public static int? Int32OrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static bool Flag(this DbDataReader reader, string column) => reader.Flag(reader.GetOrdinal(column));

    public static bool Flag(this DbDataReader reader, int ordinal) => reader.GetInt32(ordinal) == 1;

    public static byte[] Bytes(this DbDataReader reader, string column) => (byte[])reader.GetValue(reader.GetOrdinal(column));

    public static byte[]? BytesOrNull(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);
    }

    public static T Enum<T>(this DbDataReader reader, string column)
        where T : struct, Enum => reader.Enum<T>(reader.GetOrdinal(column));

    public static T Enum<T>(this DbDataReader reader, int ordinal)
        where T : struct, Enum => System.Enum.Parse<T>(reader.GetString(ordinal));

    /// <summary>A stored instant in Vietnam time, as the hub's users read it (records shown to people).</summary>
    public static DateTimeOffset Time(this DbDataReader reader, string column) => reader.Time(reader.GetOrdinal(column));

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) => Local(reader.GetInt64(ordinal));

    public static DateTimeOffset? TimeOrNull(this DbDataReader reader, string column) => reader.TimeOrNull(reader.GetOrdinal(column));

    public static DateTimeOffset? TimeOrNull(this DbDataReader reader, int ordinal) => reader.Int64OrNull(ordinal) is { } ms ? Local(ms) : null;

    /// <summary>A stored instant in UTC, as the queue port reports its times.</summary>
    public static DateTimeOffset UtcTime(this DbDataReader reader, string column) => Utc(reader.Int64(column));

    public static DateTimeOffset? UtcTimeOrNull(this DbDataReader reader, string column) => reader.Int64OrNull(column) is { } ms ? Utc(ms) : null;

    /// <summary>An instant as the store keeps it.</summary>
    public static long Ms(this DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    /// <summary>Stored milliseconds as an instant in UTC.</summary>
    public static DateTimeOffset Utc(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>Stored milliseconds as an instant in Vietnam time.</summary>
    public static DateTimeOffset Local(long milliseconds) => Core.VietnamTime.ToLocal(Utc(milliseconds));

    private static DbCommand Bind(DbCommand command, string name, object? value, DbType? type)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        var parameter = index >= 0 ? parameters[index] : command.CreateParameter();
        if (index < 0)
        {
            parameter.ParameterName = name;
            parameters.Add(parameter);
        }

        if (type is { } known)
        {
            parameter.DbType = known;
        }

        parameter.Value = value ?? DBNull.Value;
        return command;
    }
}
