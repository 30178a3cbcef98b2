using System.ComponentModel.DataAnnotations;

namespace RlStudio.Worker.Hosting;

/// <summary>Settings of a worker node, bound from the <c>RlStudio</c> section (env <c>RlStudio__…</c>).</summary>
public sealed record WorkerOptions
{
    public const string Section = "RlStudio";

    /// <summary>Base URL of the web host whose ingest API receives metrics, rollouts and checkpoints.</summary>
    [Required, Url]
    public string WebUrl { get; init; } = "http://127.0.0.1:5000";

    /// <summary>This node's name in the workers list; default: host name and process id.</summary>
    [Required]
    public string WorkerName { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Hangfire queues this node takes runs from, in priority order. Empty: <c>default</c>.</summary>
    public string[] Queues { get; init; } = [];

    /// <summary>The queues served: <see cref="Queues"/> without repeats, or <c>default</c>.</summary>
    public string[] EffectiveQueues => Queues.Length > 0 ? Queues.Distinct().ToArray() : ["default"];

    /// <summary>Runs trained at once on this node (one per GPU is the usual choice).</summary>
    [Range(1, 64)]
    public int Concurrency { get; init; } = 1;

    /// <summary>This node's worker key (an Admin creates it on the Users page), sent as <c>Authorization: Bearer</c>.</summary>
    public string ApiKey { get; init; } = "";

    /// <summary>
    /// Folders under which runs may read Hugging Face model folders and exports may be written (symbolic links are
    /// resolved before the check); announced in the heartbeat so the web host refuses other paths before queueing. Empty:
    /// no model folders on this node.
    /// </summary>
    public string[] ModelRoots { get; init; } = [];

    /// <summary>When set, the worker exits once this process is gone (the web host that started it in embedded mode).</summary>
    public int? ParentProcessId { get; init; }

    /// <summary>How often the node announces itself.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a run's trainer may take to stop after a cancel request (it stops at the next step boundary, saving a
    /// checkpoint); past that its process is killed and the run ends Cancelled saying so.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CancelGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a training run reports that it is alive between steps (the web host's stale-run window must be longer).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RunHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the node asks whether a run it trains was asked to cancel (to enforce <see cref="CancelGrace"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CancelCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where runs keep reports the web host has not taken yet (one folder per run, see <c>ReportSpool</c>); default: a
    /// folder under the system's temporary directory.
    /// </summary>
    public string SpoolDir { get; init; } = "";

    /// <summary>The folder <see cref="SpoolDir"/> names, or the default.</summary>
    public string EffectiveSpoolDir => SpoolDir.Length > 0 ? SpoolDir : Path.Combine(Path.GetTempPath(), "rlstudio-spool");

    /// <summary>
    /// The most bytes one run keeps on disk for the web host while it cannot report; when full, training pauses at the next
    /// step boundary until the host takes them.
    /// </summary>
    [Range(64 * 1024L, 1L << 40)]
    public long SpoolBytes { get; init; } = 1L << 30;
}
