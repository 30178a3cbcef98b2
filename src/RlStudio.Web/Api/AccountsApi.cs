using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Contracts.Accounts;
using RlStudio.Web.Auth;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>
/// Accounts and keys: <c>/api/users</c> (Admins), <c>/api/users/{id}/keys</c>, <c>/api/keys</c> (an account its own keys,
/// an Admin anyone's), <c>/api/workers/keys</c> (Admins) and <c>/api/me</c> (any caller, worker keys included).
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Accounts").RequireAuthorization(Policies.Admins);
        users.MapPost("/", CreateUser);
        users.MapGet("/", ListUsers);
        users.MapPatch("/{id:long}", UpdateUser);
        var own = app.MapGroup("/api").WithTags("Accounts").RequireAuthorization(Policies.Accounts);
        own.MapPost("/users/{id:long}/keys", CreateKey);
        own.MapGet("/keys", ListKeys);
        own.MapDelete("/keys/{id:long}", RevokeKey);
        app.MapGet("/api/me", Me).WithTags("Accounts").RequireAuthorization(Policies.SignedIn);
        app.MapPost("/api/workers/keys", CreateWorkerKey).WithTags("Workers").RequireAuthorization(Policies.Admins);
        return app;
    }

    public static async Task<Results<Created<CreatedUserDto>, ProblemHttpResult, ValidationProblem>> CreateUser(
        CreateUserRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken cancellationToken)
    {
        return Problems.CreatedOr(await accounts.CreateUserAsync(Caller.From(user), request, cancellationToken), u => $"/api/users/{u.Id}");
    }

    public static async Task<Ok<List<UserDto>>> ListUsers(AccountService accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListUsersAsync(cancellationToken));

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult, ValidationProblem>> UpdateUser(
        long id, UpdateUserRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken cancellationToken)
    {
        return Problems.OkOr(await accounts.UpdateUserAsync(Caller.From(user), id, request, cancellationToken));
    }

    public static async Task<Results<Created<CreatedApiKeyDto>, ProblemHttpResult, ValidationProblem>> CreateKey(
        long id, CreateApiKeyRequest? request, ClaimsPrincipal user, AccountService accounts, CancellationToken cancellationToken)
    {
        return Problems.CreatedOr(await accounts.CreateKeyAsync(Caller.From(user), id, request ?? new CreateApiKeyRequest(), cancellationToken), k => $"/api/keys/{k.Id}");
    }

    public static async Task<Results<Created<CreatedApiKeyDto>, ProblemHttpResult, ValidationProblem>> CreateWorkerKey(
        CreateApiKeyRequest request, ClaimsPrincipal user, AccountService accounts, CancellationToken cancellationToken)
    {
        return Problems.CreatedOr(await accounts.CreateWorkerKeyAsync(Caller.From(user), request, cancellationToken), k => $"/api/keys/{k.Id}");
    }

    /// <summary>The caller's keys; an Admin may pass <c>userId</c> (one account's) or <c>all=true</c>.</summary>
    public static async Task<Ok<List<ApiKeyDto>>> ListKeys(long? userId, bool? all, ClaimsPrincipal user, AccountService accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListKeysAsync(Caller.From(user), userId, all == true, cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> RevokeKey(
        long id, ClaimsPrincipal user, AccountService accounts, CancellationToken cancellationToken)
    {
        var outcome = await accounts.RevokeKeyAsync(Caller.From(user), id, cancellationToken);
        return outcome.Kind == OutcomeKind.Ok ? TypedResults.NoContent() : Problems.Failure<NoContent, ApiKeyDto>(outcome);
    }

    public static Ok<MeDto> Me(ClaimsPrincipal user)
    {
        var caller = Caller.From(user);
        return TypedResults.Ok(new MeDto(caller.WorkerName is null ? caller.UserId : null, caller.Name, caller.Role ?? "", caller.ApiKeyId, caller.WorkerName));
    }
}
