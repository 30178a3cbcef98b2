using Microsoft.AspNetCore.Authorization;

namespace RlStudio.Web.Auth;

/// <summary>The authorization policies every surface names (REST groups, pages, the hub, the dashboard).</summary>
public static class Policies
{
    /// <summary>Admins only.</summary>
    public const string Admins = "Admins";

    /// <summary>Researchers and Admins: runs, datasets, experiments, checkpoints, workers, the OpenAPI document, the hub.</summary>
    public const string Researchers = "Researchers";

    /// <summary>Labelers, Researchers and Admins: the labeling page and its API.</summary>
    public const string Labelers = "Labelers";

    /// <summary>Researchers, Admins and run-scoped keys: the MLflow-compatible tracking API.</summary>
    public const string Tracking = "Tracking";

    /// <summary>Worker keys: the ingest API.</summary>
    public const string Workers = "Workers";

    /// <summary>Any signed-in account (its own keys).</summary>
    public const string Accounts = "Accounts";

    /// <summary>Any authenticated caller, worker keys included (who am I, sign out).</summary>
    public const string SignedIn = "SignedIn";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Admins, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Researchers, p => p.RequireRole(Roles.Admin, Roles.Researcher));
        options.AddPolicy(Labelers, p => p.RequireRole(Roles.Admin, Roles.Researcher, Roles.Labeler));
        options.AddPolicy(Workers, p => p.RequireRole(Roles.Worker));
        options.AddPolicy(Tracking, p => p.RequireRole(Roles.Admin, Roles.Researcher, Roles.Reporter));
        options.AddPolicy(Accounts, p => p.RequireRole(Roles.Admin, Roles.Researcher, Roles.Labeler));
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        // Anything mapped without a policy still needs a signed-in caller.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
