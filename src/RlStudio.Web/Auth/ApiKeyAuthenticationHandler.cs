using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RlStudio.Data;
using RlStudio.Data.Accounts;

namespace RlStudio.Web.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c>, or <c>Basic</c> with the account's name and a key as the
/// password (what MLflow clients send). A user key acts with its account's role; a worker key is the
/// <see cref="Roles.Worker"/> of its node. Challenges and refusals are RFC 7807 answers (401 with
/// <c>WWW-Authenticate: Bearer</c>, 403).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    RlStudioDbContext db,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Last-used times are written at most this often per key.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    /// <summary>Whether the request carries credentials this handler reads.</summary>
    public static bool HasKey(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
        && (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || header.Parameter is null)
            return AuthenticateResult.NoResult();
        var (user, key) = header.Scheme.ToLowerInvariant() switch
        {
            "bearer" => ((string?)null, header.Parameter.Trim()),
            "basic" => ParseBasic(header.Parameter),
            _ => (null, null),
        };
        if (key is null) return AuthenticateResult.NoResult();
        if (!ApiKeySecret.LooksValid(key)) return AuthenticateResult.Fail("The API key is malformed.");

        var now = DateTimeOffset.UtcNow;
        var found = await db.FindActiveAsync(ApiKeySecret.Hash(key), now, Context.RequestAborted);
        if (found is null) return AuthenticateResult.Fail("The API key is unknown, revoked or expired, or its account is disabled.");
        if (user is not null && !string.Equals(user, found.UserName, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The key does not belong to that user.");
        var role = found.WorkerName is not null ? Roles.Worker : found.RunId is not null ? Roles.Reporter : found.Role;
        if (role is null) return AuthenticateResult.Fail("The key's account has no role.");
        if (found.LastUsedAt is null || now - found.LastUsedAt > TouchEvery) await db.TouchAsync(found.Id, now, Context.RequestAborted);

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, found.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, found.WorkerName ?? found.UserName),
            new(ClaimTypes.Role, role),
            new(Caller.ApiKeyClaim, found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        if (found.WorkerName is not null) claims.Add(new Claim(Caller.WorkerClaim, found.WorkerName));
        if (found.RunId is { } runId) claims.Add(new Claim(Caller.RunClaim, runId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>Basic credentials: the account's name and one of its keys.</summary>
    private static (string? User, string? Key) ParseBasic(string parameter)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await AuthProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, failure);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, null);
}
