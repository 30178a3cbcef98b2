using System.Text.Json.Nodes;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Runs;

namespace RlStudio.Api.Tests;

/// <summary>The validator alone, with the store faked (no database).</summary>
public sealed class RunRequestValidatorTests
{
    private sealed class FakeReferences : IRunReferences
    {
        public Task<DatasetDto?> FindDatasetAsync(string nameOrId, CancellationToken cancellationToken) => Task.FromResult(nameOrId switch
        {
            "math" or "7" => new DatasetDto(7, "math", 70, 1, 10, new string('a', 64), DateTimeOffset.UnixEpoch),
            "prefs" => new DatasetDto(8, "prefs", 80, 1, 10, new string('b', 64), DateTimeOffset.UnixEpoch, DatasetKind.Preferences),
            _ => null,
        });

        // Checkpoint 3 was written by reward-model run 5; checkpoint 30 by SFT run 60.
        public Task<bool> CheckpointExistsAsync(long checkpointId, CancellationToken cancellationToken) => Task.FromResult(checkpointId is 3 or 30);

        public Task<bool> RunExistsAsync(long runId, CancellationToken cancellationToken) => Task.FromResult(runId is 5 or 60);

        public Task<long?> NewestCheckpointIdAsync(long runId, CancellationToken cancellationToken) =>
            Task.FromResult<long?>(runId switch { 5 => 3, 60 => 30, _ => null });

        public Task<IReadOnlyList<string>> ModelRootsForQueueAsync(string queue, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(queue == "default" ? ["/models", "/data/hf"] : []);

        public Task<Algorithm?> CheckpointAlgorithmAsync(long checkpointId, CancellationToken cancellationToken) =>
            Task.FromResult<Algorithm?>(checkpointId switch { 3 => Algorithm.RewardModel, 30 => Algorithm.Sft, _ => null });

        public Task<long?> FindRayClusterAsync(string? name, string? address, CancellationToken cancellationToken) =>
            Task.FromResult<long?>(name == "lab" || address == "http://head:8265" ? 1 : null);
    }

    private static readonly RunRequestValidator Validator = new(new FakeReferences());

    private static CreateRunRequest Request(string algorithm = "grpo", JsonObject? settings = null, BaseModelSpec? baseModel = null) =>
        new("r", null, algorithm, "math", baseModel ?? new BaseModelSpec("tiny"), [new RewardSpecRequest("numeric_match", 2)], settings, 42, null, null);

    [Fact]
    public async Task Validate_MinimalRequest_FillsDefaults()
    {
        var (run, errors) = await Validator.ValidateAsync(Request(), CancellationToken.None);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(run);
        Assert.Equal("default", run.Experiment);
        Assert.Equal("default", run.Queue);
        Assert.Equal(0, run.Priority);
        Assert.Equal(RunSettings.For(Algorithm.Grpo), run.Spec.Settings);
        Assert.Equal((1e-4, 128, 8, 50, 200), (run.Spec.Settings.LearningRate, run.Spec.Settings.BatchSize, run.Spec.Settings.GroupSize,
            run.Spec.Settings.EvalEvery, run.Spec.Settings.EvalSamples));
        Assert.Equal(70, run.Spec.DatasetVersionId);
        Assert.Equal([new RewardSpec(RewardType.NumericMatch, 2)], run.Spec.Rewards);
        Assert.Equal(42, run.Spec.Seed);
    }

    [Fact]
    public async Task Validate_NoSeed_PicksOne()
    {
        var (run, _) = await Validator.ValidateAsync(Request() with { Seed = null }, CancellationToken.None);
        Assert.InRange(run!.Spec.Seed, 0, int.MaxValue);
    }

    [Fact]
    public async Task Validate_SettingsGiven_AreApplied()
    {
        var settings = new JsonObject { ["steps"] = 7, ["batchSize"] = 12, ["groupSize"] = 3, ["learningRate"] = 0.5, ["beta"] = 0 };
        var (run, _) = await Validator.ValidateAsync(Request(settings: settings), CancellationToken.None);
        Assert.Equal(RunSettings.For(Algorithm.Grpo) with { Steps = 7, BatchSize = 12, GroupSize = 3, LearningRate = 0.5, Beta = 0 }, run!.Spec.Settings);
    }

    [Fact]
    public async Task Validate_SftWithoutRewards_IsValid()
    {
        var (run, errors) = await Validator.ValidateAsync(Request("sft") with { Rewards = null }, CancellationToken.None);
        Assert.True(errors.IsEmpty, string.Join(", ", errors.ToDictionary().Keys));
        Assert.Equal(Algorithm.Sft, run!.Spec.Algorithm);
    }

    [Theory]
    [InlineData(3L, null, true)]
    [InlineData(4L, null, false)]
    [InlineData(null, 5L, true)]
    [InlineData(null, 6L, false)]
    public async Task Validate_BaseReferences_MustExist(long? checkpointId, long? runId, bool valid)
    {
        var (run, _) = await Validator.ValidateAsync(Request(baseModel: new BaseModelSpec(null, checkpointId, runId)), CancellationToken.None);
        Assert.Equal(valid, run is not null);
    }

    [Fact]
    public async Task Validate_GroupSizeNotDividingDefaultBatch_NamesBatchSize()
    {
        var (_, errors) = await Validator.ValidateAsync(Request(settings: new JsonObject { ["groupSize"] = 5 }), CancellationToken.None);
        Assert.Equal(["batchSize 128 is not divisible by groupSize 5"], errors.ToDictionary()["settings.batchSize"]);
    }

    [Fact]
    public async Task Validate_GrpoWithGreedyTemperature_NamesTemperature()
    {
        var (run, errors) = await Validator.ValidateAsync(Request(settings: new JsonObject { ["temperature"] = 0 }), CancellationToken.None);
        Assert.Null(run);
        Assert.Contains("temperature > 0", Assert.Single(errors.ToDictionary()["settings.temperature"]));
    }

    [Fact]
    public async Task Validate_SftWithGreedyTemperature_IsValid()
    {
        var (run, _) = await Validator.ValidateAsync(Request("sft", new JsonObject { ["temperature"] = 0 }), CancellationToken.None);
        Assert.NotNull(run);
    }

    [Theory]
    [InlineData("sft", "math")]
    [InlineData("grpo", "math")]
    [InlineData("rloo", "math")]
    [InlineData("reinforce_pp", "math")]
    [InlineData("ppo", "math")]
    [InlineData("dpo", "prefs")]
    [InlineData("ipo", "prefs")]
    [InlineData("reward_model", "prefs")]
    public async Task Validate_EveryAlgorithmWithOnlySteps_IsValid(string algorithm, string dataset)
    {
        var rewards = dataset == "prefs" ? [] : new[] { new RewardSpecRequest("exact_match", 1) };
        var request = new CreateRunRequest("r", null, algorithm, dataset, new BaseModelSpec("tiny"), rewards, new JsonObject { ["steps"] = 5 }, 1, null, null);
        var (run, errors) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.True(run is not null, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        Assert.Equal(RunSettings.For(run!.Spec.Algorithm) with { Steps = 5 }, run.Spec.Settings);
    }

    [Theory]
    [InlineData("sft", 1e-3, 32)]
    [InlineData("grpo", 1e-4, 128)]
    [InlineData("ppo", 1e-4, 128)]
    [InlineData("dpo", 3e-4, 32)]
    public async Task Validate_SettingsLeftOut_TakeTheAlgorithmsDefaults(string algorithm, double learningRate, int batchSize)
    {
        var (dataset, rewards) = algorithm == "dpo" ? ("prefs", Array.Empty<RewardSpecRequest>()) : ("math", [new RewardSpecRequest("exact_match", 1)]);
        var request = new CreateRunRequest("r", null, algorithm, dataset, new BaseModelSpec("tiny"), rewards, new JsonObject { ["steps"] = 5 }, 1, null, null);
        var (run, _) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.Equal((learningRate, batchSize, 50), (run!.Spec.Settings.LearningRate, run.Spec.Settings.BatchSize, run.Spec.Settings.EvalEvery));
    }

    [Theory]
    [InlineData("dpo", "math", "dataset", "trains on preferences")]
    [InlineData("sft", "prefs", "dataset", "trains on prompts")]
    public async Task Validate_WrongDatasetKind_NamesDataset(string algorithm, string dataset, string field, string message)
    {
        var request = new CreateRunRequest("r", null, algorithm, dataset, new BaseModelSpec("tiny"), [], null, 1, null, null);
        var (run, errors) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.Null(run);
        Assert.Contains(message, Assert.Single(errors.ToDictionary()[field]));
    }

    [Theory]
    [InlineData("sft", "groupSize", "2", "does not apply to sft")]
    [InlineData("grpo", "importanceLevel", "\"bogus\"", "must be one of: token, sequence")]
    [InlineData("reinforce_pp", "groupBaseline", "\"yes\"", "must be true or false")]
    [InlineData("grpo", "groupBaseline", "true", "does not apply to grpo")]
    [InlineData("ppo", "lambda", "1.5", "out of range [0, 1]")]
    [InlineData("rloo", "groupSize", "1", "groupSize must be at least 2")]
    [InlineData("grpo", "clipEpsilonHigh", "0.1", "must be ≥ clipEpsilonLow 0.2")]
    [InlineData("sft", "loraTargets", "[\"q_proj\", \"attn\"]", "must be a non-empty array of: q_proj")]
    [InlineData("dpo", "loraRank", "-1", "out of range [0, 1024]")]
    [InlineData("grpo", "miniBatches", "5", "batchSize 128 is not divisible by miniBatches 5")]
    [InlineData("sft", "miniBatches", "2", "does not apply to sft")]
    [InlineData("sft", "precision", "\"fp16\"", "must be one of: float32, bfloat16")]
    public async Task Validate_BadAlgorithmSetting_NamesTheSettingAndWhy(string algorithm, string key, string json, string message)
    {
        var settings = new JsonObject { [key] = JsonNode.Parse(json) };
        var (run, errors) = await Validator.ValidateAsync(Request(algorithm, settings), CancellationToken.None);
        Assert.Null(run);
        Assert.Contains(message, Assert.Single(errors.ToDictionary()[$"settings.{key}"]));
    }

    [Theory]
    [InlineData("{\"keepBestCheckpoints\": 2, \"bestCheckpointMetric\": \"eval/acc\"}", "settings.keepBestCheckpoints", "needs keepLastCheckpoints ≥ 1")]
    [InlineData("{\"keepLastCheckpoints\": 2, \"keepBestCheckpoints\": 1}", "settings.bestCheckpointMetric", "needs the metric that ranks checkpoints")]
    [InlineData("{\"keepLastCheckpoints\": 2, \"bestCheckpointMetric\": \"eval/acc\"}", "settings.bestCheckpointMetric", "only for keepBestCheckpoints ≥ 1")]
    [InlineData("{\"keepLastCheckpoints\": 2, \"keepBestCheckpoints\": 1, \"bestCheckpointMetric\": 3}", "settings.bestCheckpointMetric", "must be a metric key")]
    [InlineData("{\"keepLastCheckpoints\": 2, \"keepBestCheckpoints\": 1, \"bestCheckpointMetric\": \"  \"}", "settings.bestCheckpointMetric", "must be a metric key")]
    [InlineData("{\"keepLastCheckpoints\": -1}", "settings.keepLastCheckpoints", "out of range [0, 100000]")]
    [InlineData("{\"keepLastCheckpoints\": 1, \"keepBestCheckpoints\": 1, \"bestCheckpointMetric\": \"x\", \"bestCheckpointGoal\": \"up\"}", "settings.bestCheckpointGoal", "must be one of: max, min")]
    public async Task Validate_BadCheckpointRetention_NamesTheSettingAndWhy(string settingsJson, string field, string message)
    {
        var (run, errors) = await Validator.ValidateAsync(Request("sft", JsonNode.Parse(settingsJson)!.AsObject()), CancellationToken.None);
        Assert.Null(run);
        Assert.Contains(message, Assert.Single(errors.ToDictionary()[field]));
    }

    [Fact]
    public async Task Validate_CheckpointRetention_IsApplied()
    {
        var settings = new JsonObject
        {
            ["keepLastCheckpoints"] = 3, ["keepBestCheckpoints"] = 2, ["bestCheckpointMetric"] = "eval/exact_match/pass@1", ["bestCheckpointGoal"] = "min",
        };
        var (run, _) = await Validator.ValidateAsync(Request("sft", settings), CancellationToken.None);
        var s = run!.Spec.Settings;
        Assert.Equal((3, 2, "eval/exact_match/pass@1", MetricGoalSetting.Min), (s.KeepLastCheckpoints, s.KeepBestCheckpoints, s.BestCheckpointMetric, s.BestCheckpointGoal));
    }

    [Fact]
    public async Task Validate_LoraAndModelFolderBase_AreApplied()
    {
        var settings = new JsonObject { ["loraRank"] = 16, ["loraAlpha"] = 32, ["loraTargets"] = new JsonArray("q_proj", "k_proj", "v_proj", "o_proj") };
        var (run, _) = await Validator.ValidateAsync(Request("sft", settings, new BaseModelSpec(ModelPath: "/models/qwen2.5-0.5b")), CancellationToken.None);
        Assert.Equal((16, 32.0), (run!.Spec.Settings.LoraRank, run.Spec.Settings.LoraAlpha));
        Assert.Equal(["q_proj", "k_proj", "v_proj", "o_proj"], run.Spec.Settings.LoraTargets);
        Assert.Equal("/models/qwen2.5-0.5b", run.Spec.Base.ModelPath);
    }

    [Theory]
    [InlineData("models/relative")]
    [InlineData("/models/../etc")]
    public async Task Validate_BadModelPath_NamesIt(string path)
    {
        var (run, errors) = await Validator.ValidateAsync(Request("sft", null, new BaseModelSpec(ModelPath: path)), CancellationToken.None);
        Assert.Null(run);
        Assert.Contains("absolute folder path", Assert.Single(errors.ToDictionary()["base.modelPath"]));
    }

    [Theory]
    [InlineData("/etc/secrets", "default", "outside the model roots of the worker nodes serving queue 'default': /data/hf, /models")]
    [InlineData("/models2/x", "default", "outside the model roots")]
    [InlineData("/models/x", "gpu", "no worker node serving queue 'gpu' allows model folders")]
    public async Task Validate_ModelPathOutsideTheWorkersRoots_NamesTheRoots(string path, string queue, string message)
    {
        var request = Request("sft", null, new BaseModelSpec(ModelPath: path)) with { Queue = queue };
        var (run, errors) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.Null(run);
        Assert.Contains(message, Assert.Single(errors.ToDictionary()["base.modelPath"]));
    }

    [Fact]
    public async Task Validate_GspoDapoSettings_AreApplied()
    {
        var settings = new JsonObject
        {
            ["importanceLevel"] = "sequence", ["lossAggregation"] = "token_mean", ["advantageScale"] = "none",
            ["clipEpsilonLow"] = 0.2, ["clipEpsilonHigh"] = 0.28, ["policyUpdatesPerBatch"] = 2,
        };
        var (run, _) = await Validator.ValidateAsync(Request("grpo", settings), CancellationToken.None);
        var s = run!.Spec.Settings;
        Assert.Equal((ImportanceLevelSetting.Sequence, LossAggregationSetting.TokenMean, AdvantageScaleSetting.None), (s.ImportanceLevel, s.LossAggregation, s.AdvantageScale));
        Assert.Equal((0.2, 0.28, 2), (s.ClipEpsilonLow, s.ClipEpsilonHigh, s.PolicyUpdatesPerBatch));
    }

    [Theory]
    [InlineData("{\"type\":\"regex\"}", "rewards[0].pattern", "required")]
    [InlineData("{\"type\":\"regex\",\"pattern\":\"(unclosed\"}", "rewards[0].pattern", "not a valid regular expression")]
    [InlineData("{\"type\":\"exact_match\",\"pattern\":\"x\"}", "rewards[0].pattern", "applies only to a regex reward")]
    [InlineData("{\"type\":\"length_penalty\",\"penaltyPerToken\":-1}", "rewards[0].penaltyPerToken", "[0, 100]")]
    [InlineData("{\"type\":\"reward_model\"}", "rewards[0]", "exactly one of checkpointId or runId")]
    [InlineData("{\"type\":\"reward_model\",\"runId\":60}", "rewards[0].runId", "comes from a sft run")]
    [InlineData("{\"type\":\"reward_model\",\"checkpointId\":99}", "rewards[0].checkpointId", "does not exist")]
    public async Task Validate_BadRewardParameters_NameTheField(string rewardJson, string field, string message)
    {
        var reward = System.Text.Json.JsonSerializer.Deserialize<RewardSpecRequest>(rewardJson, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        var request = new CreateRunRequest("r", null, "grpo", "math", new BaseModelSpec("tiny"), [reward], null, 1, null, null);
        var (run, errors) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.Null(run);
        Assert.Contains(message, string.Join(" | ", errors.ToDictionary()[field]));
    }

    [Fact]
    public async Task Validate_RewardModelByRun_ResolvesItsNewestCheckpoint()
    {
        var request = new CreateRunRequest("r", null, "grpo", "math", new BaseModelSpec("tiny"),
            [new RewardSpecRequest("reward_model", 0.5, RunId: 5), new RewardSpecRequest("regex", 1, Pattern: "^\\d+$")], null, 1, null, null);
        var (run, _) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.Equal(3, run!.Spec.Rewards[0].CheckpointId);
        Assert.Equal("^\\d+$", run.Spec.Rewards[1].Pattern);
    }

    [Fact]
    public async Task Validate_PreferenceAlgorithmWithRewards_IsRejected()
    {
        var request = new CreateRunRequest("r", null, "dpo", "prefs", new BaseModelSpec("tiny"), [new RewardSpecRequest("exact_match", 1)], null, 1, null, null);
        var (run, errors) = await Validator.ValidateAsync(request, CancellationToken.None);
        Assert.Null(run);
        Assert.Contains("takes no reward functions", Assert.Single(errors.ToDictionary()["rewards"]));
    }
}
