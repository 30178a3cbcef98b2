using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Accounts;
using RlStudio.Data;
using RlStudio.Data.Accounts;
using RlStudio.Data.Entities;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Auth;

/// <summary>
/// Accounts and keys, for the REST API and the Users and Keys pages alike: create and change accounts (Admins), issue and
/// revoke keys (an account its own, an Admin anyone's). The last enabled Admin can be neither disabled nor demoted.
/// </summary>
public sealed partial class AccountService(UserManager<User> users, RlStudioDbContext db, ApiKeyIssuer issuer, Audit.AuditLog audit)
{
    public const int MaxUserNameLength = 64;

    public async Task<Outcome<CreatedUserDto>> CreateUserAsync(Caller caller, CreateUserRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxUserNameLength || !UserName().IsMatch(name))
            errors.Add("name", $"required: 1..{MaxUserNameLength} letters, digits or - . _ @ +");
        else if (await users.FindByNameAsync(name) is not null)
            errors.Add("name", $"an account named '{name}' exists");
        var role = Roles.Parse(request.Role);
        if (role is null) errors.Add("role", $"required: one of {string.Join(", ", Roles.AccountRoles)}");
        var generated = string.IsNullOrEmpty(request.Password);
        var password = generated ? Passwords.New() : request.Password!;
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, null!, password);
            foreach (var error in result.Errors) errors.Add("password", error.Description);
        }
        if (!errors.IsEmpty) return Outcome<CreatedUserDto>.Invalid(errors);

        var user = new User { UserName = name, CreatedAt = DateTimeOffset.UtcNow };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded) created = await users.AddToRoleAsync(user, role!);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors) errors.Add(error.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "name", error.Description);
            return Outcome<CreatedUserDto>.Invalid(errors);
        }
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(caller, "user.create", "account", user.Id, after: new { Name = name, Role = role }, cancellationToken: cancellationToken);
        return Outcome<CreatedUserDto>.Ok(new CreatedUserDto(user.Id, name!, role!, false, user.CreatedAt, generated ? password : null));
    }

    public async Task<List<UserDto>> ListUsersAsync(CancellationToken cancellationToken)
    {
        var rows = await (from user in db.Users.AsNoTracking()
                          join userRole in db.UserRoles on user.Id equals userRole.UserId into userRoles
                          from userRole in userRoles.DefaultIfEmpty()
                          join role in db.Roles on userRole.RoleId equals role.Id into roleNames
                          from role in roleNames.DefaultIfEmpty()
                          orderby user.Id
                          select new { user.Id, user.UserName, Role = role.Name, user.IsDisabled, user.CreatedAt, user.LockoutEnd })
            .ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return rows.Select(u => new UserDto(u.Id, u.UserName ?? "", u.Role ?? "", u.IsDisabled, u.CreatedAt,
            !u.IsDisabled && u.LockoutEnd > now ? u.LockoutEnd : null)).ToList();
    }

    public async Task<UserDto?> GetUserAsync(long id, CancellationToken cancellationToken) =>
        (await ListUsersAsync(cancellationToken)).FirstOrDefault(u => u.Id == id);

    /// <summary>Changes an account's role or disables/enables it (a disabled account's sessions and keys stop working).</summary>
    public async Task<Outcome<UserDto>> UpdateUserAsync(Caller caller, long id, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (user is null) return Outcome<UserDto>.NotFound($"Account {id} does not exist.");
        string? role = null;
        if (request.Role is not null && (role = Roles.Parse(request.Role)) is null)
            return Outcome<UserDto>.Invalid("role", $"one of {string.Join(", ", Roles.AccountRoles)}");
        var current = (await users.GetRolesAsync(user)).FirstOrDefault();
        var wasDisabled = user.IsDisabled;
        var losesAdmin = current == Roles.Admin && !user.IsDisabled && ((role is not null && role != Roles.Admin) || request.Disabled == true);
        if (losesAdmin && await EnabledAdminCountAsync(cancellationToken) <= 1)
            return Outcome<UserDto>.Conflict($"'{user.UserName}' is the last enabled Admin: make another account Admin first.");

        if (role is not null && role != current)
        {
            if (current is not null) Check(await users.RemoveFromRoleAsync(user, current));
            Check(await users.AddToRoleAsync(user, role));
        }
        if (request.Disabled is { } disabled && disabled != user.IsDisabled)
        {
            user.IsDisabled = disabled;
            user.LockoutEnabled = true;
            user.LockoutEnd = disabled ? DateTimeOffset.MaxValue : null;
            Check(await users.UpdateAsync(user));
        }
        Check(await users.UpdateSecurityStampAsync(user));
        var updated = (await GetUserAsync(id, cancellationToken))!;
        await audit.RecordAsync(caller, "user.update", "account", id, new { Role = current, Disabled = wasDisabled },
            new { updated.Role, updated.Disabled }, cancellationToken);
        return Outcome<UserDto>.Ok(updated);
    }

    /// <summary>A key for account <paramref name="userId"/>, asked by <paramref name="caller"/> (the account itself or an Admin).</summary>
    public async Task<Outcome<CreatedApiKeyDto>> CreateKeyAsync(Caller caller, long userId, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        if (!caller.MayManage(userId) || !await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
            return Outcome<CreatedApiKeyDto>.NotFound($"Account {userId} does not exist, or its keys are not yours to manage.");
        var name = string.IsNullOrWhiteSpace(request.Name) ? $"key {DateTime.UtcNow:yyyy-MM-dd HH:mm}" : request.Name.Trim();
        var errors = new ValidationErrors();
        ValidateKey(name, request.ExpiresAt, errors);
        if (!errors.IsEmpty) return Outcome<CreatedApiKeyDto>.Invalid(errors);
        var key = await issuer.ForUserAsync(userId, name, request.ExpiresAt, cancellationToken);
        await audit.RecordAsync(caller, "key.create", "api_key", key.Id, after: new { key.Name, key.Prefix, UserId = userId, key.ExpiresAt }, cancellationToken: cancellationToken);
        return Outcome<CreatedApiKeyDto>.Ok(key);
    }

    /// <summary>A worker node's key (Admins); the node's earlier keys are revoked.</summary>
    public async Task<Outcome<CreatedApiKeyDto>> CreateWorkerKeyAsync(Caller caller, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200 || !WorkerName().IsMatch(name))
            errors.Add("name", "required: the worker node's name (RlStudio:WorkerName), 1..200 letters, digits or - . _");
        ValidateKey(name ?? "", request.ExpiresAt, errors);
        if (!errors.IsEmpty) return Outcome<CreatedApiKeyDto>.Invalid(errors);
        var key = await issuer.ForWorkerAsync(caller.UserId!.Value, name!, request.ExpiresAt, cancellationToken);
        await audit.RecordAsync(caller, "key.create", "api_key", key.Id, after: new { key.Name, key.Prefix, key.Worker, key.ExpiresAt }, cancellationToken: cancellationToken);
        return Outcome<CreatedApiKeyDto>.Ok(key);
    }

    /// <summary>The caller's keys; an Admin may ask for one account's (<paramref name="userId"/>) or everyone's (<paramref name="all"/>).</summary>
    public Task<List<ApiKeyDto>> ListKeysAsync(Caller caller, long? userId, bool all, CancellationToken cancellationToken) =>
        db.ListApiKeysAsync(caller.IsAdmin ? (all ? null : userId ?? caller.UserId) : caller.UserId, cancellationToken);

    /// <summary>Revokes a key of the caller's (any key for an Admin).</summary>
    public async Task<Outcome<ApiKeyDto>> RevokeKeyAsync(Caller caller, long id, CancellationToken cancellationToken)
    {
        var key = await db.GetApiKeyAsync(id, cancellationToken);
        if (key is null || !caller.MayManage(key.UserId)) return Outcome<ApiKeyDto>.NotFound($"Key {id} does not exist, or is not yours.");
        await db.RevokeApiKeyAsync(id, DateTimeOffset.UtcNow, cancellationToken);
        var revoked = (await db.GetApiKeyAsync(id, cancellationToken))!;
        if (key.RevokedAt is null)
            await audit.RecordAsync(caller, "key.revoke", "api_key", id, before: new { key.Name, key.Prefix, key.UserId }, cancellationToken: cancellationToken);
        return Outcome<ApiKeyDto>.Ok(revoked);
    }

    private static void ValidateKey(string name, DateTimeOffset? expiresAt, ValidationErrors errors)
    {
        if (name.Length > ApiKeyIssuer.MaxNameLength || name.Any(char.IsControl))
            errors.Add("name", $"at most {ApiKeyIssuer.MaxNameLength} characters, no control characters");
        if (expiresAt is { } at && at <= DateTimeOffset.UtcNow)
            errors.Add("expiresAt", "must be in the future");
    }

    private async Task<int> EnabledAdminCountAsync(CancellationToken cancellationToken) =>
        (await users.GetUsersInRoleAsync(Roles.Admin)).Count(u => !u.IsDisabled);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    [GeneratedRegex("^[A-Za-z0-9._@+-]+$")]
    private static partial Regex UserName();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex WorkerName();
}
