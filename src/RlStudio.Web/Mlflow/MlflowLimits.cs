namespace RlStudio.Web.Mlflow;

/// <summary>MLflow's own limits (its REST reference and server), answered as MLflow answers them.</summary>
public static class MlflowLimits
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;

    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;

    public const int DefaultSearchResults = 1000;
    public const int MaxSearchResults = 50_000;
    public const int DefaultHistoryResults = 25_000;

    /// <summary>get-history-bulk-interval: points per run (default and most) and runs per request, as MLflow has them.</summary>
    public const int DefaultIntervalResults = 320;
    public const int MaxIntervalResults = 1000;
    public const int MaxIntervalRuns = 100;

    /// <summary>One artifact file (RL Studio's limit: artifacts live in PostgreSQL).</summary>
    public const long MaxArtifactBytes = 16L * 1024 * 1024;

    /// <summary>All artifact files of one run together.</summary>
    public const long MaxRunArtifactBytes = 256L * 1024 * 1024;
}
