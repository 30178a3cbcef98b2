using RlStudio.Contracts.Metrics;

namespace RlStudio.Data.Queries;

/// <summary>
/// Shrinks a metric series for charts: the step range [<c>firstStep</c>, <c>lastStep</c>] (shared by all series
/// of a request, so buckets line up across keys) is cut into ⌊N/3⌋ equal buckets; each bucket keeps its
/// minimum, maximum and last point (de-duplicated), so spikes survive and the last step is always kept.
/// The result is in step order and never longer than N.
/// </summary>
public static class MetricDownsampler
{
    public static IReadOnlyList<SeriesPoint> Downsample(IReadOnlyList<SeriesPoint> points, int maxPoints, int firstStep, int lastStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        if (points.Count <= maxPoints)
        {
            return points;
        }
        if (maxPoints < 3)
        {
            return maxPoints == 1 ? [points[^1]] : [points[0], points[^1]];
        }
        var buckets = maxPoints / 3;
        var span = (long)lastStep - firstStep + 1;
        var kept = new List<SeriesPoint>(buckets * 3);
        var start = 0;
        while (start < points.Count)
        {
            var bucket = BucketOf(points[start].Step);
            var end = start;
            int minIndex = start, maxIndex = start;
            while (end < points.Count && BucketOf(points[end].Step) == bucket)
            {
                if (points[end].Value < points[minIndex].Value)
                {
                    minIndex = end;
                }
                if (points[end].Value > points[maxIndex].Value)
                {
                    maxIndex = end;
                }
                end++;
            }
            foreach (var index in new SortedSet<int> { minIndex, maxIndex, end - 1 })
            {
                kept.Add(points[index]);
            }
            start = end;
        }
        return kept;

        long BucketOf(int step) => Math.Clamp((step - (long)firstStep) * buckets / span, 0, buckets - 1);
    }
}
