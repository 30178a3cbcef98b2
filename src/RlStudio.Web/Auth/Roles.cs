namespace RlStudio.Web.Auth;

/// <summary>
/// The roles an account can have (exactly one each), plus <see cref="Worker"/>, the identity of a worker key (never an
/// account's role).
/// </summary>
public static class Roles
{
    /// <summary>Everything: users, audit log, the Hangfire dashboard, and all a Researcher can do.</summary>
    public const string Admin = "Admin";

    /// <summary>Runs, datasets, experiments, checkpoints, comparison batches and their own keys.</summary>
    public const string Researcher = "Researcher";

    /// <summary>The labeling page and its API only.</summary>
    public const string Labeler = "Labeler";

    /// <summary>A worker node: the ingest API, for the runs and exports it claimed.</summary>
    public const string Worker = "Worker";

    /// <summary>A run-scoped key's: it reports into its one run through the MLflow API (an external job launched by RL Studio).</summary>
    public const string Reporter = "Reporter";

    /// <summary>The roles an account can have.</summary>
    public static readonly IReadOnlyList<string> AccountRoles = [Admin, Researcher, Labeler];

    /// <summary>The role's canonical name, or null when <paramref name="name"/> is not an account role (any case).</summary>
    public static string? Parse(string? name) =>
        AccountRoles.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
