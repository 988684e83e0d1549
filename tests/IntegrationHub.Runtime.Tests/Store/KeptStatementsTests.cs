using IntegrationHub.Runtime.Store;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>
/// The writer's kept commands, run for no result straight through SQLite, against the same commands run
/// by Microsoft.Data.Sqlite on a connection that keeps nothing: the same rows, counts and errors.
/// </summary>
[Trait("Category", "Unit")]
public sealed class KeptStatementsTests : IDisposable
{
    private const string Insert = "INSERT INTO t (id, a, b, c, d, e, f, g) VALUES (@id, @a, @b, @c, @d, @e, @f, @g)";
    private readonly string folder = Directory.CreateTempSubdirectory("hub-kept-").FullName;
    private readonly SqliteConnection kept;
    private readonly SqliteConnection plain;

    public KeptStatementsTests()
    {
        var path = Path.Combine(folder, "kept.db");
        kept = new SqliteConnection($"Data Source={path};Pooling=False");
        plain = new SqliteConnection($"Data Source={path};Pooling=False");
        kept.Open();
        plain.Open();
        plain.Execute("CREATE TABLE t (id TEXT PRIMARY KEY, a, b, c, d, e, f, g); CREATE TABLE u (n INTEGER);");
        kept.KeepStatements();
    }

    public void Dispose()
    {
        kept.ReleaseStatements();
        kept.Dispose();
        plain.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void ExecuteNonQuery_ValuesOfEveryTypeTheHubBinds_AreStoredAsTheLibraryStoresThem()
    {
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(1, Row(kept, $"kept-{round}").ExecuteNonQuery());
            Assert.Equal(1, Row(plain, $"plain-{round}").ExecuteNonQuery());
        }

        using var select = plain.Command("SELECT id, typeof(a), quote(a), typeof(b), quote(b), typeof(c), quote(c), typeof(d), quote(d), typeof(e), quote(e), typeof(f), quote(f), typeof(g) FROM t ORDER BY id");
        var rows = select.ReadList(r => string.Join("|", Enumerable.Range(1, 13).Select(r.GetString)));
        Assert.Equal(4, rows.Count);
        Assert.Single(rows.Distinct());
        Assert.Equal("text|'Trần Trọng Mạnh'|integer|5|integer|7|integer|1|blob|X'0102'|real|1.5|null", rows[0]);
    }

    [Fact]
    public void ExecuteNonQuery_ARowThatBreaksAUniqueKey_ThrowsTheLibrarysErrorAndChangesNothing()
    {
        Row(kept, "twice").ExecuteNonQuery();

        var kept2 = Assert.Throws<SqliteException>(() => Row(kept, "twice").ExecuteNonQuery());
        var plain2 = Assert.Throws<SqliteException>(() => Row(plain, "twice").ExecuteNonQuery());

        Assert.Equal((plain2.SqliteErrorCode, plain2.SqliteExtendedErrorCode, plain2.Message), (kept2.SqliteErrorCode, kept2.SqliteExtendedErrorCode, kept2.Message));
        Assert.Equal(1555, kept2.SqliteExtendedErrorCode);
        Assert.Equal(1, Row(kept, "after").ExecuteNonQuery());
    }

    [Fact]
    public void ExecuteNonQuery_CountsAndWhatTheLibraryKeeps_AreTheLibrarys()
    {
        kept.Command("INSERT INTO u (n) VALUES (@n)").Param("@n", 1L).ExecuteNonQuery();
        kept.Command("INSERT INTO u (n) VALUES (@n)").Param("@n", 2L).ExecuteNonQuery();

        Assert.Equal(2, kept.Command("UPDATE u SET n = n + @by").Param("@by", 10L).ExecuteNonQuery());
        Assert.Equal(0, kept.Command("DELETE FROM u WHERE n = @n").Param("@n", 99L).ExecuteNonQuery());
        Assert.Equal(-1, kept.Command("SELECT n FROM u WHERE n > @n").Param("@n", 0L).ExecuteNonQuery());
        Assert.Equal(1, kept.Command("INSERT INTO u (n) VALUES (@n) RETURNING n").Param("@n", 3L).ExecuteNonQuery());
        // Two statements in one text: the library runs both.
        kept.Command("INSERT INTO u (n) VALUES (100); INSERT INTO u (n) VALUES (@n)").Param("@n", 101L).ExecuteNonQuery();
        Assert.Equal(2, Count("SELECT COUNT(*) FROM u WHERE n IN (100, 101)"));
        var missing = Assert.Throws<InvalidOperationException>(() => kept.Command("INSERT INTO u (n) VALUES (@n)").ExecuteNonQuery());
        Assert.Contains("@n", missing.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM u WHERE n IS NULL"));
    }

    private static System.Data.Common.DbCommand Row(SqliteConnection connection, string id) => connection.Command(Insert)
        .Param("@id", id).Param("@a", "Trần Trọng Mạnh").Param("@b", 5L).Param("@c", 7).Param("@d", (object)true)
        .Param("@e", [1, 2]).Param("@f", (object)1.5).Param("@g", (string?)null);

    private long Count(string sql)
    {
        using var select = plain.Command(sql);
        return (long)select.ExecuteScalar()!;
    }
}
