using Microsoft.AspNetCore.Identity;

namespace RlStudio.Data.Entities;

/// <summary>
/// An account (ASP.NET Core Identity: password hash, lockout, security stamp). Its one role (Admin, Researcher,
/// Labeler) is an Identity role; a disabled account can neither sign in nor use its keys.
/// </summary>
public sealed class User : IdentityUser<long>
{
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
