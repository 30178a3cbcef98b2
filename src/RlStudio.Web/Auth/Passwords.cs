using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace RlStudio.Web.Auth;

/// <summary>The password rules of every account, and generated passwords that meet them.</summary>
public static class Passwords
{
    public const int MinLength = 12;

    public static void Configure(PasswordOptions options)
    {
        options.RequiredLength = MinLength;
        options.RequireDigit = false;
        options.RequireLowercase = false;
        options.RequireUppercase = false;
        options.RequireNonAlphanumeric = false;
        options.RequiredUniqueChars = 4;
    }

    /// <summary>20 random letters and digits (~119 bits), in groups of five for reading aloud.</summary>
    public static string New()
    {
        var raw = RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
        return string.Join('-', raw.Chunk(5).Select(c => new string(c)));
    }
}
