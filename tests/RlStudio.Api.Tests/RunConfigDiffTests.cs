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

    [Fact]
    public void Rows_ExternalRunNextToANativeOne_ShowItsMlflowParams()
    {
        var grpo = Run(1, Algorithm.Grpo, new RunSettings { LearningRate = 1e-4, Steps = 100 });
        var trl = new RunDto(2, "trl", "e", Algorithm.External, RunStatus.Running, 30, 0, "external", 0, 0, null, null, new BaseModelSpec(), [],
            new RunSettings(), null, null, DateTimeOffset.UnixEpoch, null, null, new Dictionary<string, double>(),
            Params: new Dictionary<string, string> { ["learning_rate"] = "1e-06", ["num_generations"] = "8" });

        var rows = RunConfigDiff.Rows([grpo, trl]).ToDictionary(r => r.Key);

        Assert.Equal(new[] { "grpo", "external" }, rows["algorithm"].Values);
        Assert.Equal(new[] { "addition-2digit", RunConfigDiff.NotUsed }, rows["dataset"].Values);
        Assert.Equal(new[] { RunConfigDiff.NotUsed, "1e-06" }, rows["params.learning_rate"].Values);
        Assert.Equal(new[] { "0.0001", RunConfigDiff.NotUsed }, rows["learningRate"].Values);
    }

    private static RunDto Run(long id, Algorithm algorithm, RunSettings settings) => new(
        id, $"run{id}", "e", algorithm, RunStatus.Succeeded, 0, settings.Steps, "default", 0, 7, 1, "addition-2digit",
        new BaseModelSpec(Preset: "tiny"), [new RewardSpec(RewardType.ExactMatch)], settings, null, null,
        DateTimeOffset.UnixEpoch, null, null, new Dictionary<string, double>());
}
