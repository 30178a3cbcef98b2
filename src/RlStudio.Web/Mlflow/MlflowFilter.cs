using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// MLflow's search filter: clauses joined by <c>AND</c>, each <c>entity comparator value</c>. An entity is
/// <c>metrics.k</c>, <c>params.k</c>, <c>tags.k</c> or <c>attributes.k</c> (or a bare attribute name); a name with dots,
/// slashes or spaces is quoted with backticks or double quotes. Comparators: <c>= != &gt; &gt;= &lt; &lt;=</c>, and for
/// strings <c>LIKE</c>, <c>ILIKE</c>, <c>IN (…)</c>, <c>NOT IN (…)</c>. Numbers compare as numbers, strings as text.
/// </summary>
public sealed class MlflowFilter
{
    public enum Kind { Metric, Param, Tag, Attribute }

    public sealed record Clause(Kind Kind, string Key, string Comparator, IReadOnlyList<string> Values, bool Numeric);

    public IReadOnlyList<Clause> Clauses { get; }

    private MlflowFilter(IReadOnlyList<Clause> clauses) => Clauses = clauses;

    public static readonly MlflowFilter Everything = new([]);

    /// <summary>The filter, or <see cref="MlflowException"/> (INVALID_PARAMETER_VALUE) saying what is wrong with it.</summary>
    public static MlflowFilter Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var tokens = Tokenize(text);
        var clauses = new List<Clause>();
        var i = 0;
        while (true)
        {
            clauses.Add(ParseClause(tokens, ref i, text));
            if (i == tokens.Count) break;
            if (!tokens[i].Equals("AND", StringComparison.OrdinalIgnoreCase)) throw Bad(text, $"expected AND, got '{tokens[i]}'");
            i++;
        }
        return new MlflowFilter(clauses);
    }

    /// <summary>Whether an entity with these values passes every clause.</summary>
    public bool Matches(Func<Kind, string, (string? Text, double? Number)> lookup) => Clauses.All(c => Test(c, lookup(c.Kind, c.Key)));

    private static bool Test(Clause clause, (string? Text, double? Number) actual)
    {
        if (clause.Numeric || clause.Kind == Kind.Metric)
        {
            if (actual.Number is not { } number || !double.TryParse(clause.Values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var wanted)) return false;
            return clause.Comparator switch
            {
                "=" => number == wanted,
                "!=" => number != wanted,
                ">" => number > wanted,
                ">=" => number >= wanted,
                "<" => number < wanted,
                "<=" => number <= wanted,
                _ => false,
            };
        }
        if (actual.Text is not { } text) return false;
        return clause.Comparator switch
        {
            "=" => text == clause.Values[0],
            "!=" => text != clause.Values[0],
            "LIKE" => Like(clause.Values[0], RegexOptions.None).IsMatch(text),
            "ILIKE" => Like(clause.Values[0], RegexOptions.IgnoreCase).IsMatch(text),
            "IN" => clause.Values.Contains(text),
            "NOT IN" => !clause.Values.Contains(text),
            _ => false,
        };
    }

    private static Regex Like(string pattern, RegexOptions options) =>
        new("^" + Regex.Escape(pattern).Replace("%", ".*").Replace("_", ".") + "$", options | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    private static readonly HashSet<string> NumericAttributes = ["start_time", "end_time", "creation_time", "last_update_time"];

    private static Clause ParseClause(List<string> tokens, ref int i, string text)
    {
        if (i >= tokens.Count) throw Bad(text, "a clause is missing");
        var (kind, key) = Entity(tokens[i++], text);
        if (i >= tokens.Count) throw Bad(text, $"'{key}' has no comparator");
        var comparator = tokens[i++].ToUpperInvariant();
        if (comparator == "NOT" && i < tokens.Count && tokens[i].Equals("IN", StringComparison.OrdinalIgnoreCase)) { comparator = "NOT IN"; i++; }
        var numeric = kind == Kind.Metric || (kind == Kind.Attribute && NumericAttributes.Contains(key));
        var allowed = numeric ? new[] { "=", "!=", ">", ">=", "<", "<=" } : ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];
        if (!allowed.Contains(comparator)) throw Bad(text, $"'{comparator}' does not compare {(numeric ? "numbers" : "strings")}; use one of {string.Join(" ", allowed)}");
        var values = new List<string>();
        if (comparator is "IN" or "NOT IN")
        {
            if (i >= tokens.Count || tokens[i++] != "(") throw Bad(text, $"{comparator} needs a list in parentheses");
            while (i < tokens.Count && tokens[i] != ")")
            {
                if (tokens[i] != ",") values.Add(Value(tokens[i], numeric: false, text));
                i++;
            }
            if (i++ >= tokens.Count) throw Bad(text, "a list is not closed");
        }
        else
        {
            if (i >= tokens.Count) throw Bad(text, $"'{key}' has no value");
            values.Add(Value(tokens[i++], numeric, text));
        }
        return new Clause(kind, key, comparator, values, numeric);
    }

    private static (Kind, string) Entity(string token, string text)
    {
        var dot = token.IndexOf('.');
        var (prefix, name) = dot < 0 || token[0] is '`' or '"' ? ("attributes", token) : (token[..dot].ToLowerInvariant(), token[(dot + 1)..]);
        var kind = prefix switch
        {
            "metrics" or "metric" => Kind.Metric,
            "params" or "param" or "parameter" or "parameters" => Kind.Param,
            "tags" or "tag" => Kind.Tag,
            "attributes" or "attribute" or "attr" or "run" => Kind.Attribute,
            _ => throw Bad(text, $"'{token}': an entity is metrics.<key>, params.<key>, tags.<key> or attributes.<name>"),
        };
        name = Unquote(name);
        if (name.Length == 0) throw Bad(text, $"'{token}' names no key");
        return (kind, kind == Kind.Attribute ? name.ToLowerInvariant() : name);
    }

    private static string Value(string token, bool numeric, string text)
    {
        if (token.Length >= 2 && token[0] is '\'' or '"' && token[^1] == token[0])
        {
            if (numeric) throw Bad(text, $"{token} is a string; a metric or time compares with a number");
            return token[1..^1];
        }
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return token;
        throw Bad(text, $"'{token}' is neither a number nor a quoted string");
    }

    private static string Unquote(string name) =>
        name.Length >= 2 && name[0] is '`' or '"' && name[^1] == name[0] ? name[1..^1] : name;

    /// <summary>Identifiers (with dotted, quoted parts), quoted strings, numbers, comparators, parentheses and commas.</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '(' or ')' or ',') { tokens.Add(c.ToString()); i++; continue; }
            if (c is '=' ) { tokens.Add("="); i++; continue; }
            if (c is '!' or '<' or '>')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(two ? text.Substring(i, 2) : c.ToString());
                if (c == '!' && !two) throw Bad(text, "'!' must be '!='");
                i += two ? 2 : 1;
                continue;
            }
            if (c is '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                if (end < 0) throw Bad(text, "a string is not closed");
                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
                continue;
            }
            // A word: letters, digits and . _ - / : + and quoted parts (`a.b` or "a.b") glued to it.
            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '=' or '!' or '<' or '>' or '\''))
            {
                if (text[i] is '`' or '"')
                {
                    var quote = text[i];
                    var end = text.IndexOf(quote, i + 1);
                    if (end < 0) throw Bad(text, "a quoted name is not closed");
                    word.Append(text, i, end - i + 1);
                    i = end + 1;
                    continue;
                }
                word.Append(text[i++]);
            }
            tokens.Add(word.ToString());
        }
        return tokens;
    }

    private static MlflowException Bad(string filter, string why) => MlflowException.Invalid($"Invalid filter '{filter}': {why}.");
}
