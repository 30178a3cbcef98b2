namespace RlStudio.Data.Storage;

/// <summary>PostgreSQL <c>text</c> cannot hold U+0000; model output may contain it (an untrained policy samples any byte).</summary>
public static class PostgresText
{
    /// <summary>Visible stand-in for U+0000: U+2400 SYMBOL FOR NULL (␀).</summary>
    public const char NulSymbol = '\u2400';

    public static string Storable(string text) => text.Contains('\0') ? text.Replace('\0', NulSymbol) : text;

    public static string? StorableOrNull(string? text) => text is null ? null : Storable(text);
}
