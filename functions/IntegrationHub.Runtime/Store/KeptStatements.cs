using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Store;

/// <summary>
/// The prepared commands of one long-lived SQLite connection, one per SQL text, reused for as long as
/// the connection lives: a hub transaction's statements are the same few texts over and over, and a
/// new <see cref="SqliteCommand"/> would have SQLite parse and plan each again. Past
/// <see cref="Capacity"/> texts (SQL built at run time) a command is made afresh and finalized on dispose.
/// </summary>
internal sealed class KeptStatements(SqliteConnection connection)
{
    private const int Capacity = 256;
    private readonly Dictionary<string, KeptCommand> commands = new(StringComparer.Ordinal);

    /// <summary>The command for <paramref name="sql"/>; <paramref name="unbound"/>: with no parameters, as a new command has.</summary>
    public SqliteCommand Get(string sql, bool unbound)
    {
        if (commands.TryGetValue(sql, out var kept))
        {
            if (unbound)
            {
                kept.Parameters.Clear();
            }

            return kept;
        }

        if (commands.Count >= Capacity)
        {
            return new SqliteCommand(sql, connection);
        }

        kept = new KeptCommand(sql, connection);
        commands[sql] = kept;
        return kept;
    }

    /// <summary>Finalizes every kept statement.</summary>
    public void Release()
    {
        foreach (var command in commands.Values)
        {
            command.Release();
        }

        commands.Clear();
    }

    /// <summary>
    /// A command whose dispose keeps its prepared statements, until <see cref="Release"/>; run for no
    /// result, it goes straight to SQLite where it can (<see cref="DirectStatement"/>).
    /// </summary>
    private sealed class KeptCommand(string sql, SqliteConnection connection) : SqliteCommand(sql, connection)
    {
        private readonly DirectStatement direct = new(sql);
        private bool released;

        public void Release()
        {
            released = true;
            direct.Dispose();
            Dispose();
        }

        public override int ExecuteNonQuery() =>
            Connection is { State: System.Data.ConnectionState.Open } open && Transaction is null && DataReader is null
            && direct.TryExecute(open, Parameters, out var recordsAffected)
                ? recordsAffected
                : base.ExecuteNonQuery();

        protected override void Dispose(bool disposing)
        {
            // The connection closing disposes its commands too: by then the writer has released them.
            if (released || !disposing)
            {
                base.Dispose(disposing);
            }
        }
    }
}
