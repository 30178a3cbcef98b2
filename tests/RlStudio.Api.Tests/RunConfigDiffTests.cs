using RlStudio.Contracts.Runs;
using RlStudio.Web.Ui;

namespace RlStudio.Api.Tests;

/// <summary>The Compare page's configuration table: one row per field, marked where the runs disagree.</summary>
public sealed class RunConfigDiffTests
{
    [Fact]
    public void Rows_MarkWhatDiffers_AndSettingsAnAlgorithmDoesNotTake()
    {
        var sft = Run(1, Algorithm.Sft, new RunSettings { LearningRate = 1e-3, Steps = 100 });
        var grpo = Run(2, Algorithm.Grpo, new RunSettings { LearningRate = 1e-4, Steps = 100, GroupSize = 16 });

        var rows = RunConfigDiff.Rows([sft, grpo]).ToDictionary(r => r.Key);

        Assert.Equal(new[] { "sft", "grpo" }, rows["algorithm"].Values);
        Assert.True(rows["algorithm"].Differs);
        Assert.False(rows["steps"].Differs);
        Assert.Equal(new[] { "0.001", "0.0001" }, rows["learningRate"].Values);
        Assert.Equal(new[] { RunConfigDiff.NotUsed, "16" }, rows["groupSize"].Values);
        Assert.Equal(new[] { RunConfigDiff.NotUsed, "token" }, rows["importanceLevel"].Values);
        Assert.Equal(new[] { RunConfigDiff.NotUsed, "auto" }, rows["clipEpsilonHigh"].Values);
        Assert.False(rows.ContainsKey("preferenceBeta"));
    }

    private static RunDto Run(long id, Algorithm algorithm, RunSettings settings) => new(
        id, $"run{id}", "e", algorithm, RunStatus.Succeeded, 0, settings.Steps, "default", 0, 7, 1, "addition-2digit",
        new BaseModelSpec(Preset: "tiny"), [new RewardSpec(RewardType.ExactMatch)], settings, null, null,
        DateTimeOffset.UnixEpoch, null, null, new Dictionary<string, double>());
}
