using System.Globalization;
using RlStudio.Web.Auth;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// What a run-scoped key (the one a launched job gets) may do on the MLflow routes: read experiments, and read and
/// write its own run (get, update, log, tags, history, artifacts). Creating, deleting or searching runs and changing
/// experiments are refused with PERMISSION_DENIED, as is touching any other run.
/// </summary>
public static class RunScopedAccess
{
    private static readonly HashSet<string> Allowed =
    [
        "experiments/get", "experiments/get-by-name", "experiments/search",
        "runs/get", "runs/update", "runs/log-metric", "runs/log-batch", "runs/log-parameter", "runs/set-tag", "runs/delete-tag", "runs/log-inputs",
        "metrics/get-history", "metrics/get-history-bulk-interval", "artifacts/list",
    ];

    /// <summary>Throws unless the request is one the caller's run-scoped key may make (any request of an unscoped caller passes).</summary>
    public static void Check(HttpContext context, string prefix)
    {
        if (Caller.From(context.User).RunScope is not { } scope) return;
        var path = context.Request.Path.Value![prefix.Length..].Trim('/');
        if (prefix == MlflowArtifactsApi.Prefix)
        {
            var runPart = (path.Length == 0 ? context.Request.Query["path"].ToString() : path).Split('/');
            if (runPart.Length < 2 || runPart[1] != Id(scope)) throw Denied(scope);
            return;
        }
        if (!Allowed.Contains(path)) throw MlflowException.Forbidden($"This key reports into run {scope} only; it may not call {path}.");
        var named = context.Request.Query["run_id"].Concat(context.Request.Query["run_uuid"]).Concat(context.Request.Query["run_ids"]);
        if (named.Any(runId => runId != Id(scope))) throw Denied(scope);
    }

    /// <summary>For writes that name their run in the body: the run must be the key's.</summary>
    public static void CheckRun(Caller caller, long runId)
    {
        if (caller.RunScope is { } scope && scope != runId) throw Denied(scope);
    }

    private static MlflowException Denied(long scope) => MlflowException.Forbidden($"This key reports into run {scope} only.");

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
