namespace RlStudio.Web.EmbeddedWorker;

/// <summary>
/// The all-in-one mode's worker child process (section <c>RlStudio:EmbeddedWorker</c>). Enabled by
/// default when the web host runs its own PostgreSQL; a deployment with separate worker nodes turns it off.
/// </summary>
public sealed record EmbeddedWorkerOptions
{
    public const string Section = "RlStudio:EmbeddedWorker";

    /// <summary>Start the worker child process. Null: only when no connection string is configured.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Path of <c>RlStudio.Worker.dll</c> (or its project folder). Empty: found next to this repo's sources and built if missing.</summary>
    public string WorkerPath { get; init; } = "";

    /// <summary>Hangfire queues the embedded worker serves. Empty: <see cref="DefaultQueues"/>.</summary>
    public string[] Queues { get; init; } = [];

    public static readonly string[] DefaultQueues = ["default", "gpu", "cpu"];

    /// <summary>The embedded node's model roots (where runs read model folders and exports are written). Empty: <c>{DataDir}/models</c>.</summary>
    public string[] ModelRoots { get; init; } = [];

    /// <summary>How long to wait before restarting a worker that exited on its own.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The worker's <c>CancelGrace</c> (null: its default).</summary>
    public TimeSpan? CancelGrace { get; init; }

    /// <summary>The worker's <c>RunHeartbeatInterval</c> (null: its default).</summary>
    public TimeSpan? RunHeartbeatInterval { get; init; }

    /// <summary>The worker's <c>CancelCheckInterval</c> (null: its default).</summary>
    public TimeSpan? CancelCheckInterval { get; init; }
}
