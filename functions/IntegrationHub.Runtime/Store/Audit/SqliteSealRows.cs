using IntegrationHub.Core.Audit;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntegrationHub.Runtime.Store.Audit;

/// <summary>
/// The sealer's reads and inserts on SQLite, through SQLite's own interface: each statement prepared
/// once for a batch and bound by position. Microsoft.Data.Sqlite looks every parameter up by name on
/// every execution and boxes every value it reads, which cost a seal more than SQLite's own work.
/// A value is read as Microsoft.Data.Sqlite's <c>GetValue</c> reads it, so as the verifier does.
/// </summary>
internal static class SqliteSealRows
{
    private const string InsertSeal = "INSERT INTO hub_audit_seals (chain, position, kind, entry_id, previous_hash, hash, sealed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    /// <summary>A source's rows above <paramref name="after"/>, at most <paramref name="max"/>, in the order written (every one unsealed: the floor is the last id sealed).</summary>
    public static List<(long Sequence, AuditEntry Entry)> Unsealed(SqliteConnection connection, AuditSource source, long after, int max)
    {
        var sequence = source.Sequence(SqlDialect.Sqlite);
        var sql = $"SELECT t.{sequence}, t.{source.Key}, {string.Join(", ", source.Fields.Select(f => "t." + f.Column))} FROM {source.Table} t WHERE t.{sequence} > ?1 ORDER BY t.{sequence} LIMIT ?2";
        using var select = Prepare(connection, sql);
        raw.sqlite3_bind_int64(select, 1, after);
        raw.sqlite3_bind_int64(select, 2, max);
        var rows = new List<(long, AuditEntry)>();
        while (Step(connection, select) == raw.SQLITE_ROW)
        {
            var fields = new AuditField[source.Fields.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = new AuditField(source.Fields[i].Field, AuditSource.Value(ValueOf(select, i + 2)));
            }

            rows.Add((raw.sqlite3_column_int64(select, 0), new AuditEntry(source.Kind, AuditSource.Text(ValueOf(select, 1)), fields)));
        }

        return rows;
    }

    /// <summary>Inserts the seals, one execution of one prepared statement each.</summary>
    public static void Insert(SqliteConnection connection, IReadOnlyList<ChainSeal> seals, long at)
    {
        using var insert = Prepare(connection, InsertSeal);
        foreach (var seal in seals)
        {
            raw.sqlite3_bind_text(insert, 1, seal.Chain);
            raw.sqlite3_bind_int64(insert, 2, seal.Position);
            raw.sqlite3_bind_text(insert, 3, seal.Kind);
            raw.sqlite3_bind_text(insert, 4, seal.EntryId);
            raw.sqlite3_bind_text(insert, 5, seal.PreviousHash);
            raw.sqlite3_bind_text(insert, 6, seal.Hash);
            raw.sqlite3_bind_int64(insert, 7, at);
            Step(connection, insert);
            raw.sqlite3_reset(insert);
        }
    }

    /// <summary>A column's value of the type Microsoft.Data.Sqlite's <c>GetValue</c> gives for its storage class.</summary>
    private static object ValueOf(sqlite3_stmt statement, int column) => raw.sqlite3_column_type(statement, column) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, column),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, column),
        raw.SQLITE_TEXT => raw.sqlite3_column_text(statement, column).utf8_to_string(),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(statement, column).ToArray(),
        _ => DBNull.Value,
    };

    private static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }

        return statement;
    }

    /// <summary>One step: a row or the end; anything else (a constraint refused a seal, a full disk) as Microsoft.Data.Sqlite would throw it.</summary>
    private static int Step(SqliteConnection connection, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            raw.sqlite3_reset(statement);
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }

        return rc;
    }
}
