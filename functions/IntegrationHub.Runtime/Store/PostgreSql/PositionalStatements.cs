using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Npgsql;

namespace IntegrationHub.Runtime.Store.PostgreSql;

/// <summary>
/// The store's statements, written with named parameters (<c>@name</c>, as SQLite takes them), sent to
/// PostgreSQL with its own positional ones (<c>$1</c>, <c>$2</c>, …), the text rewritten once per SQL
/// text: Npgsql passes a statement whose parameters have no names as it is, where it parses the text of
/// one with names on every execution to put the positions in. A text this cannot read for certain
/// (quoted identifiers with an <c>@</c>, dollar quoting, a parameter the command lacks) goes as it came.
/// </summary>
internal static class PositionalStatements
{
    /// <summary>The texts kept at most: the store's statements are a few dozen; a text made anew each time is rewritten each time.</summary>
    private const int MaxTexts = 1024;

    private static readonly ConcurrentDictionary<string, Positional?> Texts = new(StringComparer.Ordinal);

    /// <summary>The statement and its parameters, for a batch: by position where the text allows, else as named.</summary>
    public static NpgsqlBatchCommand ForBatch(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Parameters.Count > 0 && Of(command.CommandText) is { } positional && ByPosition(positional, command.Parameters) is { } statement)
        {
            return statement;
        }

        var named = new NpgsqlBatchCommand(command.CommandText);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            named.Parameters.Add(parameter.Clone());
        }

        return named;
    }

    private static Positional? Of(string sql)
    {
        if (Texts.TryGetValue(sql, out var known))
        {
            return known;
        }

        var positional = Rewrite(sql);
        if (Texts.Count < MaxTexts)
        {
            Texts.TryAdd(sql, positional);
        }

        return positional;
    }

    /// <summary>
    /// <paramref name="sql"/> with each <c>@name</c> outside quotes and comments replaced by its position
    /// (a name used twice keeps its first position), and the names in order; null when it has none, or
    /// has anything this does not read.
    /// </summary>
    internal static Positional? Rewrite(string sql)
    {
        var names = new List<string>();
        var text = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '$' || c == '"' || c == '\\')
            {
                return null; // positions or dollar quoting already, quoted identifiers, escapes: left to Npgsql
            }

            var skipped = c switch
            {
                '\'' => EndOfQuoted(sql, i),
                '-' when At(sql, i + 1) == '-' => EndOfLine(sql, i),
                '/' when At(sql, i + 1) == '*' => EndOfComment(sql, i),
                _ => -1,
            };
            if (skipped == int.MaxValue)
            {
                return null; // a quote or comment that does not end
            }

            if (skipped >= 0)
            {
                text.Append(sql, i, skipped - i);
                i = skipped;
                continue;
            }

            if (c == '@' && (char.IsAsciiLetter(At(sql, i + 1)) || At(sql, i + 1) == '_') && !IsNamePart(At(sql, i - 1)))
            {
                var end = i + 1;
                while (IsNamePart(At(sql, end)))
                {
                    end++;
                }

                var name = sql[i..end];
                var position = names.IndexOf(name);
                if (position < 0)
                {
                    names.Add(name);
                    position = names.Count - 1;
                }

                text.Append('$').Append(position + 1);
                i = end;
                continue;
            }

            text.Append(c);
            i++;
        }

        return names.Count == 0 ? null : new Positional(text.ToString(), [.. names]);
    }

    private static NpgsqlBatchCommand? ByPosition(Positional positional, DbParameterCollection parameters)
    {
        if (parameters.Count != positional.Names.Length)
        {
            return null; // a parameter named nowhere in the text, or missing: Npgsql names the mistake
        }

        var statement = new NpgsqlBatchCommand(positional.Text);
        foreach (var name in positional.Names)
        {
            var index = parameters.IndexOf(name);
            if (index < 0)
            {
                return null;
            }

            var parameter = ((NpgsqlParameter)parameters[index]).Clone();
            parameter.ParameterName = string.Empty;
            statement.Parameters.Add(parameter);
        }

        return statement;
    }

    private static char At(string sql, int index) => index >= 0 && index < sql.Length ? sql[index] : '\0';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Just past the literal opening at <paramref name="start"/> (<c>''</c> is a quote inside it).</summary>
    private static int EndOfQuoted(string sql, int start)
    {
        for (var i = start + 1; i < sql.Length; i++)
        {
            if (sql[i] == '\'')
            {
                if (At(sql, i + 1) != '\'')
                {
                    return i + 1;
                }

                i++;
            }
        }

        return int.MaxValue;
    }

    private static int EndOfLine(string sql, int start)
    {
        var end = sql.IndexOf('\n', start);
        return end < 0 ? sql.Length : end;
    }

    private static int EndOfComment(string sql, int start)
    {
        var end = sql.IndexOf("*/", start + 2, StringComparison.Ordinal);
        return end < 0 ? int.MaxValue : end + 2;
    }

    /// <summary>A statement's text with positions, and the parameter names in position order.</summary>
    internal sealed record Positional(string Text, string[] Names);
}
