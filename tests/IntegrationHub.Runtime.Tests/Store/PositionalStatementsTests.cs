using IntegrationHub.Runtime.Store;
using IntegrationHub.Runtime.Store.PostgreSql;
using Npgsql;

namespace IntegrationHub.Runtime.Tests.Store;

/// <summary>The store's named parameters as PostgreSQL's positions: what is rewritten, and what is left to Npgsql.</summary>
[Trait("Category", "Unit")]
public sealed class PositionalStatementsTests
{
    [Fact]
    public void Rewrite_NamesUsedTwice_KeepTheirFirstPosition()
    {
        var positional = PositionalStatements.Rewrite("UPDATE t SET a = @a, b = @b WHERE (a IS NULL OR a < @a) AND c = @c_2");

        Assert.NotNull(positional);
        Assert.Equal("UPDATE t SET a = $1, b = $2 WHERE (a IS NULL OR a < $1) AND c = $3", positional.Text);
        Assert.Equal(["@a", "@b", "@c_2"], positional.Names);
    }

    [Fact]
    public void Rewrite_AtSignsInLiteralsAndComments_AreLeftAsTheyAre()
    {
        var positional = PositionalStatements.Rewrite("""
            -- sets @x
            SELECT 'it''s @not' || @yes /* nor @this */ FROM t WHERE e LIKE '%@%'
            """);

        Assert.NotNull(positional);
        Assert.Equal("""
            -- sets @x
            SELECT 'it''s @not' || $1 /* nor @this */ FROM t WHERE e LIKE '%@%'
            """, positional.Text);
        Assert.Equal(["@yes"], positional.Names);
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES ($1, @a)")]
    [InlineData("SELECT \"odd@name\" FROM t WHERE a = @a")]
    [InlineData("SELECT 'unended @a")]
    [InlineData("SELECT 1")]
    public void Rewrite_ATextItCannotReadForCertain_IsLeftToNpgsql(string sql) =>
        Assert.Null(PositionalStatements.Rewrite(sql));

    [Fact]
    public void ForBatch_ParametersInTheTextsOrder_GoUnnamedByPosition()
    {
        using var command = new NpgsqlCommand("UPDATE t SET b = @b WHERE a = @a AND b <> @b").Param("@a", 1L).Param("@b", "two");

        var statement = PositionalStatements.ForBatch(command);

        Assert.Equal("UPDATE t SET b = $1 WHERE a = $2 AND b <> $1", statement.CommandText);
        Assert.Equal([("", (object?)"two"), ("", 1L)], statement.Parameters.Select(p => (p.ParameterName, p.Value)));
    }

    [Fact]
    public void ForBatch_AParameterTheTextDoesNotName_GoesNamedForNpgsqlToRefuse()
    {
        using var command = new NpgsqlCommand("UPDATE t SET b = @b").Param("@b", "two").Param("@unused", 1L);

        var statement = PositionalStatements.ForBatch(command);

        Assert.Equal("UPDATE t SET b = @b", statement.CommandText);
        Assert.Equal(["@b", "@unused"], statement.Parameters.Select(p => p.ParameterName));
    }
}
