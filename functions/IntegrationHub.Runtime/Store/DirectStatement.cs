using System.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// A kept command's statement run through SQLite's own interface when it returns nothing: prepared
/// once, its parameters' positions looked up once, each value bound as Microsoft.Data.Sqlite binds a
/// value of its type. Microsoft.Data.Sqlite makes a data reader for every execution and looks every
/// parameter up by name each time (its name encoded again, then searched among the statement's);
/// on the hub writer, which runs every write of the process one after another, that was more than
/// SQLite's own work for most statements. Anything this does not cover (several statements in one
/// text, a value of another type, a wait for another process's lock) goes the library's way.
/// </summary>
internal sealed class DirectStatement(string sql) : IDisposable
{
    private readonly Dictionary<string, int> positions = new(StringComparer.Ordinal);
    private sqlite3_stmt? statement;
    private bool libraryOnly;

    /// <summary>Runs the statement with the command's parameters; false, having done nothing, where the library must run it.</summary>
    /// <exception cref="SqliteException">SQLite refused the statement (a constraint, a full disk), as the library would throw it.</exception>
    public bool TryExecute(SqliteConnection connection, SqliteParameterCollection parameters, out int recordsAffected)
    {
        recordsAffected = -1;
        var database = connection.Handle;
        if (libraryOnly || database is null || (statement is null && !TryPrepare(database)) || !TryBind(parameters))
        {
            return false;
        }

        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
        }

        try
        {
            if (rc == raw.SQLITE_DONE)
            {
                // As the library counts: rows changed by a statement that writes, -1 for one that does not.
                recordsAffected = raw.sqlite3_stmt_readonly(statement) != 0 ? -1 : raw.sqlite3_changes(database);
                return true;
            }

            if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED or raw.SQLITE_LOCKED_SHAREDCACHE)
            {
                return false; // nothing was done; the library waits for the lock and tries again
            }

            SqliteException.ThrowExceptionForRC(rc, database);
            return false;
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    public void Dispose() => statement?.Dispose();

    private bool TryPrepare(sqlite3 database)
    {
        var rc = raw.sqlite3_prepare_v2(database, sql, out var prepared, out var tail);
        if (rc != raw.SQLITE_OK || prepared.IsInvalid || !string.IsNullOrWhiteSpace(tail))
        {
            // Busy, empty, or several statements: the library's way, which handles all of them.
            prepared.Dispose();
            libraryOnly = rc == raw.SQLITE_OK;
            return false;
        }

        statement = prepared;
        return true;
    }

    private bool TryBind(SqliteParameterCollection parameters)
    {
        if (parameters.Count != raw.sqlite3_bind_parameter_count(statement))
        {
            return false; // the library names the missing ones
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            if (parameter.Size != 0 || Position(parameter.ParameterName) is not (> 0 and var position) || !TryBind(position, parameter.Value))
            {
                raw.sqlite3_clear_bindings(statement);
                return false;
            }
        }

        return true;
    }

    private int Position(string name)
    {
        if (!positions.TryGetValue(name, out var position))
        {
            position = raw.sqlite3_bind_parameter_index(statement, name);
            positions[name] = position;
        }

        return position;
    }

    /// <summary>Binds as Microsoft.Data.Sqlite's value binder does for the types the hub binds; false for any other.</summary>
    private bool TryBind(int position, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, position),
            string text => raw.sqlite3_bind_text(statement, position, text),
            long number => raw.sqlite3_bind_int64(statement, position, number),
            int number => raw.sqlite3_bind_int64(statement, position, number),
            short number => raw.sqlite3_bind_int64(statement, position, number),
            byte number => raw.sqlite3_bind_int64(statement, position, number),
            bool flag => raw.sqlite3_bind_int64(statement, position, flag ? 1 : 0),
            byte[] bytes => raw.sqlite3_bind_blob(statement, position, bytes),
            double number when !double.IsNaN(number) => raw.sqlite3_bind_double(statement, position, number),
            _ => -1,
        };
        return rc == raw.SQLITE_OK;
    }
}
