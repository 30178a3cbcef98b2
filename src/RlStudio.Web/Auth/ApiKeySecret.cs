using System.Security.Cryptography;
using System.Text;

namespace RlStudio.Web.Auth;

/// <summary>
/// API keys: <c>rls_</c> + 40 random base62 characters (~238 bits), stored only as SHA-256 (a slow password hash adds
/// nothing for a secret of this entropy, and every request checks one). The first <see cref="PrefixLength"/> characters
/// are kept in clear to recognise a key in lists.
/// </summary>
public static class ApiKeySecret
{
    public const string Scheme = "rls_";
    public const int PrefixLength = 10;
    private const int RandomLength = 40;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New() => Scheme + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string PrefixOf(string key) => key[..Math.Min(PrefixLength, key.Length)];

    /// <summary>Whether a text has the shape of a key (checked before any lookup): the scheme, then 20..120 letters and digits.</summary>
    public static bool LooksValid(string key) =>
        key.Length is >= 24 and <= 124 && key.StartsWith(Scheme, StringComparison.Ordinal) && key[Scheme.Length..].All(char.IsAsciiLetterOrDigit);
}
