namespace RlStudio.Web.Runs;

/// <summary>Runs named in a message: "run #7", "runs #7, #9", "runs #1, …, #10 and 5 more".</summary>
public static class RunIdList
{
    public const int Shown = 10;

    public static string Describe(IReadOnlyList<long> runIds) =>
        (runIds.Count == 1 ? "run " : "runs ") + string.Join(", ", runIds.Take(Shown).Select(id => $"#{id}"))
        + (runIds.Count > Shown ? $" and {runIds.Count - Shown} more" : "");
}
