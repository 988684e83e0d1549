using System.Data;
using System.Data.Common;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// Provider-neutral command helpers: SQLite and PostgreSQL both take <c>@name</c> parameters. Text and
/// numbers are bound with their type, so that a null still tells PostgreSQL what it is
/// (<c>@name IS NULL</c> needs a typed parameter there).
/// </summary>
internal static class SqlCommands
{
    public static DbCommand Param(this DbCommand command, string name, object? value) => Add(command, name, value, null);

    public static DbCommand Param(this DbCommand command, string name, string? value) => Add(command, name, value, DbType.String);

    public static DbCommand Param(this DbCommand command, string name, long? value) => Add(command, name, value, DbType.Int64);

    public static DbCommand Param(this DbCommand command, string name, int? value) => Add(command, name, value, DbType.Int32);

    public static DbCommand Param(this DbCommand command, string name, byte[] value) => Add(command, name, value, DbType.Binary);

    public static DbCommand Command(this DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static string? StringOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Int64OrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

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

    public static long Ms(this DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static long? Ms(this DateTimeOffset? instant) => instant?.ToUnixTimeMilliseconds();

    /// <summary>A stored instant, shown in Vietnam time: the hub's users read Hanoi time.</summary>
    public static DateTimeOffset Instant(long milliseconds) => Core.VietnamTime.ToLocal(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));

    public static DateTimeOffset? Instant(long? milliseconds) => milliseconds is { } ms ? Instant(ms) : null;

    private static DbCommand Add(DbCommand command, string name, object? value, DbType? type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (type is { } known)
        {
            parameter.DbType = known;
        }

        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
