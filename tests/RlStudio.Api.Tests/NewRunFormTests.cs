using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Runs.Settings;
using RlStudio.Web.Ui;

namespace RlStudio.Api.Tests;

/// <summary>The New Run form: the algorithm's defaults prefilled, the user's changes kept across algorithms, and "Clone".</summary>
public sealed class NewRunFormTests
{
    private static RunSettingDescriptor Setting(string key) => RunSettingCatalog.Find(key)!;

    [Fact]
    public void NewForm_PrefillsTheAlgorithmsDefaults_AndSendsNoSettings()
    {
        var form = new NewRunForm { Algorithm = Algorithm.Sft };
        Assert.Equal(RunSettings.For(Algorithm.Sft), form.Settings);
        Assert.Empty(form.ToRequest().Settings!);

        form.Algorithm = Algorithm.Grpo;
        Assert.Equal((1e-4, 128), (form.Settings.LearningRate, form.Settings.BatchSize));
        Assert.Empty(form.ToRequest().Settings!);
    }

    [Fact]
    public void SwitchingAlgorithm_KeepsTheUsersChanges_AndTakesTheOtherDefaults()
    {
        var form = new NewRunForm { Algorithm = Algorithm.Sft };
        form.Set(Setting("steps"), 700);
        form.Set(Setting("batchSize"), 64);

        form.Algorithm = Algorithm.Grpo;

        Assert.Equal((700, 64, 1e-4), (form.Settings.Steps, form.Settings.BatchSize, form.Settings.LearningRate));
        var sent = form.ToRequest().Settings!;
        Assert.Equal(["batchSize", "steps"], sent.Select(s => s.Key).Order());
    }

    [Fact]
    public void SettingsTaken_AreThoseOfTheAlgorithm()
    {
        var form = new NewRunForm { Algorithm = Algorithm.Dpo };
        Assert.Contains(form.SettingsTaken, s => s.Key == "preferenceBeta");
        Assert.DoesNotContain(form.SettingsTaken, s => s.Key is "groupSize" or "temperature");
    }

    /// <summary>A task dataset makes the run agentic: the agent settings instead of maxNewTokens, and no reward functions.</summary>
    [Fact]
    public void TaskDataset_TakesTheAgentSettings_AndSendsNoRewards()
    {
        var tasks = new Contracts.Datasets.DatasetDto(1, "guess", 1, 1, 10, "h", DateTimeOffset.UnixEpoch, Contracts.Datasets.DatasetKind.Tasks);
        var prompts = new Contracts.Datasets.DatasetDto(2, "sums", 2, 1, 10, "h", DateTimeOffset.UnixEpoch);
        var form = new NewRunForm { Algorithm = Algorithm.Grpo, Datasets = [tasks, prompts], Dataset = "guess" };
        form.Set(Setting("maxTurns"), 5);

        Assert.True(form.IsAgentic);
        Assert.Equal(["guess", "sums"], form.Usable(form.Datasets).Select(d => d.Name));
        Assert.Contains(form.SettingsTaken, s => s.Key is "maxTokensPerTurn");
        Assert.DoesNotContain(form.SettingsTaken, s => s.Key is "maxNewTokens");
        var request = form.ToRequest();
        Assert.Empty(request.Rewards!);
        Assert.Equal(5, request.Settings!["maxTurns"]!.GetValue<int>());

        form.Dataset = "sums";
        Assert.False(form.IsAgentic);
        Assert.DoesNotContain(form.SettingsTaken, s => s.Key is "maxTurns");
        Assert.False(form.ToRequest().Settings!.ContainsKey("maxTurns"));
        Assert.NotEmpty(form.ToRequest().Rewards!);
        form.Algorithm = Algorithm.Dpo;
        Assert.Empty(form.Usable(form.Datasets));
    }

    [Fact]
    public void CopyOf_AsksForTheSameSpec()
    {
        var settings = RunSettings.For(Algorithm.Grpo) with
        {
            Steps = 30, BatchSize = 64, GroupSize = 16, LearningRate = 1e-5, Beta = 0, MaxNewTokens = 5,
            LossAggregation = LossAggregationSetting.TokenMean, ClipEpsilonHigh = 0.28, LoraRank = 4, LoraTargets = ["q_proj"],
        };
        var run = new RunDto(9, "grpo-a", "sweep", Algorithm.Grpo, RunStatus.Succeeded, 30, 30, "gpu", 2, 123, 1, "addition-2digit",
            new BaseModelSpec(CheckpointId: 77), [new RewardSpec(RewardType.ExactMatch, 1.0), new RewardSpec(RewardType.Regex, 0.5) { Pattern = "^\\d+$" }],
            settings, null, null, DateTimeOffset.UnixEpoch, null, null, new Dictionary<string, double>());

        var request = NewRunForm.CopyOf(run).ToRequest();

        Assert.Equal(("grpo-a-copy", "sweep", "grpo", "addition-2digit", 123L, "gpu", 2),
            (request.Name, request.Experiment, request.Algorithm, request.Dataset, request.Seed!.Value, request.Queue, request.Priority!.Value));
        Assert.Equal(77, request.Base!.CheckpointId);
        Assert.Equal(new[] { ("exact_match", 1.0, (string?)null), ("regex", 0.5, "^\\d+$") },
            request.Rewards!.Select(r => (r.Type!, r.Weight!.Value, r.Pattern)));
        var sent = request.Settings!;
        Assert.Equal((30, 64, 16, 1e-5, 0.0, 5), ((int)sent["steps"]!, (int)sent["batchSize"]!, (int)sent["groupSize"]!,
            (double)sent["learningRate"]!, (double)sent["beta"]!, (int)sent["maxNewTokens"]!));
        Assert.Equal(("token_mean", 0.28, 4), ((string)sent["lossAggregation"]!, (double)sent["clipEpsilonHigh"]!, (int)sent["loraRank"]!));
        Assert.Equal("[\"q_proj\"]", sent["loraTargets"]!.ToJsonString());
        Assert.False(sent.ContainsKey("importanceLevel"), "a setting left at its default is not sent");
    }
}
