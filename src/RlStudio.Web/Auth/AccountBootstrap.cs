using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RlStudio.Data;
using RlStudio.Data.Accounts;
using RlStudio.Data.Entities;
using RlStudio.Web.Hosting;

namespace RlStudio.Web.Auth;

/// <summary>
/// First start: the roles, an admin account (its password from configuration, or random: printed once and written to
/// the data folder with mode 0600), and the configured bootstrap admin key. Every later start changes nothing.
/// </summary>
public sealed class AccountBootstrap(
    UserManager<User> users,
    RoleManager<IdentityRole<long>> roles,
    RlStudioDbContext db,
    IOptions<AuthOptions> options,
    IOptions<RlStudioOptions> studio,
    IWebHostEnvironment environment,
    ILogger<AccountBootstrap> logger)
{
    public const string PasswordFileName = "admin-password.txt";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.AccountRoles)
        {
            if (!await roles.RoleExistsAsync(role)) Check(await roles.CreateAsync(new IdentityRole<long>(role)), $"role {role}");
        }
        var admin = (await users.GetUsersInRoleAsync(Roles.Admin)).OrderBy(u => u.Id).FirstOrDefault() ?? await CreateAdminAsync();
        await EnsureKeyAsync(options.Value.BootstrapAdminKey, "BootstrapAdminKey", admin, null, cancellationToken);
        if (!string.IsNullOrEmpty(options.Value.BootstrapWorkerKey) && string.IsNullOrWhiteSpace(options.Value.BootstrapWorkerName))
            throw new InvalidOperationException("RlStudio:Auth:BootstrapWorkerKey needs RlStudio:Auth:BootstrapWorkerName (the node's RlStudio:WorkerName).");
        await EnsureKeyAsync(options.Value.BootstrapWorkerKey, "BootstrapWorkerKey", admin, options.Value.BootstrapWorkerName?.Trim(), cancellationToken);
    }

    /// <summary>The first admin of the first admin-less start.</summary>
    public async Task<User> FirstAdminAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Admin)).OrderBy(u => u.Id).First();

    private async Task<User> CreateAdminAsync()
    {
        var configured = options.Value.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? Passwords.New() : configured;
        var admin = new User { UserName = options.Value.AdminName, CreatedAt = DateTimeOffset.UtcNow };
        Check(await users.CreateAsync(admin, password), $"admin account '{admin.UserName}'");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "admin role");
        if (string.IsNullOrEmpty(configured))
        {
            var file = Path.Combine(DatabaseSetup.ResolveDataDir(studio.Value.DataDir, environment.ContentRootPath), PasswordFileName);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, password + Environment.NewLine);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // Printed once, on purpose: the one moment a person can read the first password.
            Console.WriteLine();
            Console.WriteLine($"  RL Studio: created the account '{admin.UserName}' (Admin) with password {password}");
            Console.WriteLine($"  (also in {file}, readable only by you). Sign in and change it on the Users page.");
            Console.WriteLine();
            logger.LogInformation("Created the first admin account {Name}; its password is in {File}", admin.UserName, file);
        }
        return admin;
    }

    /// <summary>A configured key (an admin's, or a worker node's when <paramref name="worker"/> is set), created when no key has it.</summary>
    private async Task EnsureKeyAsync(string? key, string setting, User admin, string? worker, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key)) return;
        if (!ApiKeySecret.LooksValid(key))
            throw new InvalidOperationException($"RlStudio:Auth:{setting} must be '{ApiKeySecret.Scheme}' followed by 20 to 120 letters and digits.");
        var hash = ApiKeySecret.Hash(key);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, cancellationToken)) return;
        await db.AddApiKeyAsync(admin.Id, worker is null ? "bootstrap" : $"worker {worker} (bootstrap)", ApiKeySecret.PrefixOf(key), hash, null, worker, cancellationToken);
        logger.LogInformation("Created the {Setting} {Prefix}…", setting, ApiKeySecret.PrefixOf(key));
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create the {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
