namespace RlStudio.Data.Storage;

/// <summary>
/// Text as PostgreSQL takes it: <c>text</c> cannot hold U+0000 (model output may contain it: an untrained policy samples
/// any byte), and user words inside a LIKE pattern must match literally.
/// </summary>
public static class PostgresText
{
    /// <summary>Visible stand-in for U+0000: U+2400 SYMBOL FOR NULL (␀).</summary>
    public const char NulSymbol = '\u2400';

    public static string Storable(string text) => text.Contains('\0') ? text.Replace('\0', NulSymbol) : text;

    public static string? StorableOrNull(string? text) => text is null ? null : Storable(text);

    /// <summary>The escape character of <see cref="EscapeLike"/>'s patterns (pass it as the ILIKE's ESCAPE: EF's default is none).</summary>
    public const string LikeEscape = @"\";

    /// <summary>
    /// <paramref name="text"/> for use inside a LIKE/ILIKE pattern with ESCAPE <see cref="LikeEscape"/>, matching itself only:
    /// <c>%</c>, <c>_</c> and the escape character escaped, so a search for "50%" does not match every run with "50".
    /// </summary>
    public static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
