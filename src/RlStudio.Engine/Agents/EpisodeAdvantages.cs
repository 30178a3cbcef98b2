using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Agents;

/// <summary>How an episode's turns get their advantages.</summary>
public enum EpisodeAdvantageMode
{
    /// <summary>GRPO over the G episodes of a task: the episode's normalized return, the same for every turn.</summary>
    Episode,

    /// <summary>
    /// GiGPO: the episode advantage plus <c>w</c> × a step advantage. Turns of the same task group that answered the same
    /// observation (an anchor state) form a step group; a turn's step advantage is its discounted return from that turn,
    /// normalized within its step group (0 in a group of one).
    /// </summary>
    Gigpo,
}

/// <summary>Advantages of each turn of G episodes per task (episodes laid out group by group).</summary>
public static class EpisodeAdvantages
{
    /// <summary>The discount of returns from a turn (GiGPO's γ).</summary>
    public const double DefaultDiscount = 0.95;

    /// <param name="leaveOneOut">
    /// RLOO's episode term: the return minus the mean of the group's other returns (<see cref="GroupAdvantages.Rloo"/>),
    /// instead of GRPO's normalized return.
    /// </param>
    public static double[][] Compute(IReadOnlyList<Episode> episodes, int groupSize, EpisodeAdvantageMode mode, double stepWeight = 1.0,
        double discount = DefaultDiscount, bool leaveOneOut = false)
    {
        if (groupSize < 1 || episodes.Count % groupSize != 0)
            throw new ArgumentException($"{episodes.Count} episodes do not split into groups of {groupSize}.", nameof(groupSize));
        var episodeAdvantages = EpisodeLevel(episodes, groupSize, leaveOneOut);
        var advantages = episodes.Select((e, i) => Enumerable.Repeat(episodeAdvantages[i], e.Turns.Count).ToArray()).ToArray();
        if (mode == EpisodeAdvantageMode.Episode) return advantages;

        for (var group = 0; group < episodes.Count / groupSize; group++)
        {
            // Every turn of the group with its discounted return, keyed by the observation it answered.
            var anchors = new Dictionary<string, List<(int Episode, int Turn, double Return)>>();
            for (var e = group * groupSize; e < (group + 1) * groupSize; e++)
            {
                var turns = episodes[e].Turns;
                var returns = new double[turns.Count];
                for (var t = turns.Count - 1; t >= 0; t--) returns[t] = turns[t].Reward + (t + 1 < turns.Count ? discount * returns[t + 1] : 0);
                for (var t = 0; t < turns.Count; t++)
                {
                    if (!anchors.TryGetValue(turns[t].Observation, out var members)) anchors[turns[t].Observation] = members = [];
                    members.Add((e, t, returns[t]));
                }
            }
            foreach (var members in anchors.Values)
            {
                var normalized = Normalize(members.Select(m => m.Return).ToList());
                for (var k = 0; k < members.Count; k++) advantages[members[k].Episode][members[k].Turn] += stepWeight * normalized[k];
            }
        }
        return advantages;
    }

    /// <summary>The group advantages of the episodes' returns: GRPO's or RLOO's (<see cref="GroupAdvantages"/>, one definition each).</summary>
    private static double[] EpisodeLevel(IReadOnlyList<Episode> episodes, int groupSize, bool leaveOneOut)
    {
        using var returns = tensor(episodes.Select(e => e.Return).ToArray(), ScalarType.Float64);
        using var advantages = leaveOneOut ? GroupAdvantages.Rloo(returns, groupSize) : GroupAdvantages.Grpo(returns, groupSize, AdvantageScale.Group).Advantages;
        return advantages.data<double>().ToArray();
    }

    /// <summary>(x − mean) / (unbiased std + ε), as <see cref="GroupAdvantages.Grpo"/>; 0 for a group of one.</summary>
    private static double[] Normalize(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return new double[values.Count];
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return values.Select(v => (v - mean) / (std + GroupAdvantages.StdEpsilon)).ToArray();
    }
}
