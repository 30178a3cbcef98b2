namespace RlStudio.Engine.Training;

/// <summary>How varied a step's samples are within their groups (<see cref="MetricKeys.CompletionDistinctFrac"/>).</summary>
internal static class CompletionDiversity
{
    /// <summary>The share of distinct texts within each group of <paramref name="groupSize"/>, averaged over the groups.</summary>
    public static double DistinctFraction(IReadOnlyList<string> texts, int groupSize) =>
        texts.Chunk(groupSize).Average(group => group.Distinct(StringComparer.Ordinal).Count() / (double)group.Length);
}
