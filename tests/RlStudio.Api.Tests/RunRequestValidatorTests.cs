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
        public Task<DatasetDto?> FindDatasetAsync(string nameOrId, CancellationToken cancellationToken) =>
            Task.FromResult(nameOrId is "math" or "7" ? new DatasetDto(7, "math", 70, 1, 10, new string('a', 64), DateTimeOffset.UnixEpoch) : null);

        public Task<bool> CheckpointExistsAsync(long checkpointId, CancellationToken cancellationToken) => Task.FromResult(checkpointId == 3);

        public Task<bool> RunExistsAsync(long runId, CancellationToken cancellationToken) => Task.FromResult(runId == 5);
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
        Assert.Equal(new RunSettings(), run.Spec.Settings);
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
        Assert.Equal(new RunSettings { Steps = 7, BatchSize = 12, GroupSize = 3, LearningRate = 0.5, Beta = 0 }, run!.Spec.Settings);
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
        Assert.Equal(["batchSize 32 is not divisible by groupSize 5"], errors.ToDictionary()["settings.batchSize"]);
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
}
