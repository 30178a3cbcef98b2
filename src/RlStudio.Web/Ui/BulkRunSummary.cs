using RlStudio.Contracts.Runs;

namespace RlStudio.Web.Ui;

/// <summary>A bulk action's result as one readable line: "3 cancelled, 1 skipped — Run 7 is Succeeded; a finished run cannot be cancelled."</summary>
public static class BulkRunSummary
{
    /// <summary>Reasons listed in full, at most (the rest are counted).</summary>
    public const int ReasonsShown = 5;

    public static string Describe(BulkRunResult result, string? tag = null)
    {
        var done = result.Action switch
        {
            "cancel" => "cancelled",
            "delete" => "deleted",
            "tag" => tag is null ? "tagged" : $"tagged '{tag}'",
            _ => "done",
        };
        var head = $"{result.Done.Count} {done}";
        if (result.Skipped.Count == 0) return head;
        var reasons = string.Join(" ", result.Skipped.Take(ReasonsShown).Select(s => s.Reason));
        var more = result.Skipped.Count > ReasonsShown ? $" (and {result.Skipped.Count - ReasonsShown} more)" : "";
        return $"{head}, {result.Skipped.Count} skipped — {reasons}{more}";
    }
}
