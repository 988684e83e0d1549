using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// A short transaction whose loss in a crash the design absorbs, sent with its commit in one round trip
/// and committed without waiting for its flush to disk (<c>synchronous_commit</c> off for it alone). A
/// later commit that does wait flushes it with its own, the log being flushed in order, so it is lost
/// only with everything committed after it. Its write's answer is the batch's first result; read the
/// rest to the end, where an error of the commit would show.
/// </summary>
internal static class UnflushedCommit
{
    public static NpgsqlBatch Of(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBatchCommand write) =>
        new(connection, transaction)
        {
            BatchCommands =
            {
                write,
                new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO OFF"),
                new NpgsqlBatchCommand("COMMIT"),
            },
        };
}
