namespace RlStudio.Web.Mlflow;

/// <summary>MLflow's search mechanics: <c>order_by</c> clauses and page tokens over an already filtered list.</summary>
internal static class MlflowSearch
{
    /// <summary>An order_by key: <c>metrics.k</c>, <c>params.k</c>, <c>tags.k</c>, <c>attributes.k</c> or a bare attribute.</summary>
    internal static MlflowFilter.Kind AttributeOrKind(ref string key)
    {
        var dot = key.IndexOf('.');
        if (dot < 0) return MlflowFilter.Kind.Attribute;
        var (prefix, rest) = (key[..dot].ToLowerInvariant(), key[(dot + 1)..].Trim('`', '"'));
        var kind = prefix switch
        {
            "metrics" or "metric" => MlflowFilter.Kind.Metric,
            "params" or "param" => MlflowFilter.Kind.Param,
            "tags" or "tag" => MlflowFilter.Kind.Tag,
            "attributes" or "attribute" => MlflowFilter.Kind.Attribute,
            _ => throw MlflowException.Invalid($"Invalid order_by clause '{key}'."),
        };
        key = rest;
        return kind;
    }

    /// <summary>Sorts by the order_by clauses ("key [ASC|DESC]"), missing values last, then by <paramref name="tieBreak"/>.</summary>
    internal static List<T> Order<T>(List<T> items, IReadOnlyList<string>? orderBy, Func<T, long> tieBreak, Func<T, string, (string? Text, double? Number)> value,
        string defaultKey)
    {
        var clauses = orderBy is { Count: > 0 } ? orderBy : [defaultKey];
        IOrderedEnumerable<T>? sorted = null;
        foreach (var clause in clauses)
        {
            var parts = clause.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || (parts.Length == 2 && parts[1].ToUpperInvariant() is not ("ASC" or "DESC")))
                throw MlflowException.Invalid($"Invalid order_by clause '{clause}'.");
            var key = parts[0];
            var descending = parts.Length == 2 && parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
            Func<T, (bool Missing, double Number, string Text)> selector = item =>
            {
                var (text, number) = value(item, key);
                return (text is null && number is null, number ?? 0, text ?? "");
            };
            var comparer = Comparer<(bool Missing, double Number, string Text)>.Create((a, b) =>
                a.Missing != b.Missing ? a.Missing.CompareTo(b.Missing) * (descending ? -1 : 1)
                : a.Number != b.Number ? a.Number.CompareTo(b.Number) : string.CompareOrdinal(a.Text, b.Text));
            sorted = sorted is null
                ? descending ? items.OrderByDescending(selector, comparer) : items.OrderBy(selector, comparer)
                : descending ? sorted.ThenByDescending(selector, comparer) : sorted.ThenBy(selector, comparer);
        }
        return sorted!.ThenBy(tieBreak).ToList();
    }

    internal static (List<T> Page, string? Next) Page<T>(List<T> items, string? pageToken, int? maxResults)
    {
        var limit = maxResults ?? MlflowLimits.DefaultSearchResults;
        if (limit is < 1 or > MlflowLimits.MaxSearchResults) throw MlflowException.Invalid($"Invalid value {limit} for parameter 'max_results' supplied. It must be in 1..{MlflowLimits.MaxSearchResults}.");
        var offset = pageToken is null ? 0 : DecodeToken(pageToken);
        if (offset < 0) throw MlflowException.Invalid("Invalid page token.");
        var page = items.Skip(offset).Take(limit).ToList();
        return (page, offset + limit < items.Count ? EncodeToken(offset + limit) : null);
    }

    internal static string EncodeToken(int value) => Convert.ToBase64String(BitConverter.GetBytes(value));

    internal static int DecodeToken(string token)
    {
        try
        {
            var bytes = Convert.FromBase64String(token);
            if (bytes.Length == 4) return BitConverter.ToInt32(bytes);
        }
        catch (FormatException)
        {
        }
        throw MlflowException.Invalid("Invalid page token.");
    }
}
