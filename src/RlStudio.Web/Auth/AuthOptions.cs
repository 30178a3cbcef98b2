namespace RlStudio.Web.Auth;

/// <summary>Section <c>RlStudio:Auth</c>: the first admin account and an optional key for automation.</summary>
public sealed record AuthOptions
{
    public const string Section = "RlStudio:Auth";

    /// <summary>The account created on first start when there is no admin. Default <c>admin</c>.</summary>
    public string AdminName { get; init; } = "admin";

    /// <summary>
    /// Its password (e.g. from an environment variable in docker-compose). Empty: a random one, printed once on the
    /// console and written to <c>{DataDir}/admin-password.txt</c> (mode 0600).
    /// </summary>
    public string? AdminPassword { get; init; }

    /// <summary>
    /// An admin API key (<c>rls_</c> + 20..120 letters and digits) that exists from the first start on, for automation and
    /// tests: created for the first admin when no key has it, so setting it again after a restart changes nothing.
    /// </summary>
    public string? BootstrapAdminKey { get; init; }

    /// <summary>
    /// A worker key that exists from the first start on, for <see cref="BootstrapWorkerName"/> (a deployment's GPU node,
    /// e.g. docker-compose's worker): created when no key has it. Same form as <see cref="BootstrapAdminKey"/>.
    /// </summary>
    public string? BootstrapWorkerKey { get; init; }

    /// <summary>The node name <see cref="BootstrapWorkerKey"/> belongs to (the node's <c>RlStudio:WorkerName</c>).</summary>
    public string? BootstrapWorkerName { get; init; }
}
