using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Identity;
using RlStudio.Data;
using RlStudio.Data.Entities;

namespace RlStudio.Web.Auth;

/// <summary>
/// Accounts and who may do what, on every surface: ASP.NET Core Identity (EF Core stores in PostgreSQL: password
/// hashes, lockout, roles), the sign-in cookie for the UI, API keys (<see cref="ApiKeyAuthenticationHandler"/>) for REST,
/// hubs and workers, and the <see cref="Policies"/>. A request with an <c>Authorization</c> header is judged by its key,
/// any other by the cookie; an API request without either gets a 401 problem, a page the sign-in page.
/// </summary>
public static class AuthSetup
{
    private const string CookieOrKey = "CookieOrKey";

    public static IServiceCollection AddRlStudioAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        services.AddIdentityCore<User>(identity =>
            {
                Passwords.Configure(identity.Password);
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                identity.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
            })
            .AddRoles<IdentityRole<long>>()
            .AddEntityFrameworkStores<RlStudioDbContext>()
            .AddSignInManager();
        services.AddAuthentication(auth =>
            {
                auth.DefaultScheme = CookieOrKey;
                auth.DefaultChallengeScheme = CookieOrKey;
            })
            .AddPolicyScheme(CookieOrKey, "Sign-in cookie or API key", policy => policy.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.HasKey(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "rlstudio.auth";
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/not-allowed";
            cookie.ExpireTimeSpan = TimeSpan.FromDays(7);
            cookie.SlidingExpiration = true;
            cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
        // A disabled account or a changed password ends its sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(stamp => stamp.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorization(Policies.Add);
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAuthenticationState>();
        services.AddScoped<AccountBootstrap>();
        services.AddScoped<ApiKeyIssuer>();
        services.AddScoped<AccountService>();
        services.AddHttpContextAccessor();
        services.AddScoped<Audit.AuditLog>();
        return services;
    }

    public static WebApplication UseRlStudioAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary><c>POST /account/logout</c> (a form with its antiforgery token): ends the session, back to the sign-in page.</summary>
    public static WebApplication MapRlStudioSignOut(this WebApplication app)
    {
        app.MapPost("/account/logout", async ([FromForm] string? from, SignInManager<User> signIn, Audit.AuditLog audit, ClaimsPrincipal user) =>
        {
            await audit.RecordAsync(Caller.From(user), "signout", "account", Caller.From(user).UserId);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/login");
        }).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
        return app;
    }

    /// <summary>An API request gets a problem; a page request the sign-in (or not-allowed) page.</summary>
    private static Task Refuse(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (!AuthProblems.IsApiRequest(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        return AuthProblems.WriteAsync(problems, context.HttpContext, status, null);
    }
}
