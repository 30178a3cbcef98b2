using RlStudio.Engine.Agents;
using RlStudio.Environments;

namespace RlStudio.Engine.Tests.Agents;

/// <summary>An agentic GRPO step on the tiny preset: episodes played, env/* metrics, an update, and wrong options refused.</summary>
public sealed class AgenticTrainingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly EnvironmentTask[] Tasks = Enumerable.Range(0, 12)
        .Select(seed => new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", seed, new Dictionary<string, System.Text.Json.JsonElement>
        {
            ["max"] = System.Text.Json.JsonSerializer.SerializeToElement(4),
        })).ToArray();

    private static TrainerOptions Options => new()
    {
        Algorithm = TrainingAlgorithm.Grpo, Steps = 2, BatchSize = 8, GroupSize = 4, MaxNewTokens = 8, LearningRate = 1e-3,
        Seed = 5, EvalEvery = 2, EvalFraction = 0.25, EvalSamples = 3, RolloutsPerStep = 2, Beta = 0.04,
    };

    [Theory]
    [InlineData(EpisodeAdvantageMode.Episode)]
    [InlineData(EpisodeAdvantageMode.Gigpo)]
    public void Step_PlaysGroupsOfEpisodes_AndReportsEnvMetrics(EpisodeAdvantageMode mode)
    {
        var agent = new AgentOptions { Episodes = new EpisodeSettings(MaxTurns: 3), AdvantageMode = mode };
        using var trainer = Trainer.Create(Options, new ModelSource.Preset("tiny"), Tasks, agent);

        var first = trainer.Step();
        var second = trainer.Step();

        foreach (var key in new[] { MetricKeys.EnvSuccess, MetricKeys.EnvTurnsMean, MetricKeys.EnvInvalidActionFrac, MetricKeys.RewardTaskMean,
                     MetricKeys.LossPolicy, MetricKeys.RewardFracZeroStd })
            Assert.True(first.Metrics.ContainsKey(key), key);
        Assert.InRange(first.Metrics[MetricKeys.EnvTurnsMean], 1, 3);
        Assert.True(double.IsFinite(first.Metrics[MetricKeys.LossPolicy]));
        Assert.True(second.Metrics.ContainsKey(MetricKeys.EvalEnvSuccess));
        Assert.Equal(2, first.Rollouts.Count);
        Assert.StartsWith("> ", first.Rollouts[0].Completion);           // the transcript: turns and observations
    }

    /// <summary>The tiny preset after 60 SFT steps on the demonstrations (made once for the tests that start from it).</summary>
    private static readonly Lazy<byte[]> WarmStart = new(() =>
    {
        using var sft = Trainer.Create(Options with { Algorithm = TrainingAlgorithm.Sft, EvalEvery = 0, LearningRate = 3e-3 }, new ModelSource.Preset("tiny"), Tasks,
            new AgentOptions { Episodes = new EpisodeSettings(MaxTurns: 3) });
        for (var i = 0; i < 60; i++) sft.Step();
        using var buffer = new MemoryStream();
        sft.SaveCheckpoint(buffer);
        return buffer.ToArray();
    });

    /// <summary>
    /// RLOO, REINFORCE++ and PPO train on episodes too. The policy starts from demonstrations (a few SFT steps) so its
    /// groups differ; each algorithm then makes a finite update, PPO with its value head (value loss, explained variance).
    /// </summary>
    [Theory]
    [InlineData(TrainingAlgorithm.Rloo)]
    [InlineData(TrainingAlgorithm.ReinforcePp)]
    [InlineData(TrainingAlgorithm.Ppo)]
    public void OtherPolicyGradients_TrainOnEpisodes(TrainingAlgorithm algorithm)
    {
        var agent = new AgentOptions { Episodes = new EpisodeSettings(MaxTurns: 3) };
        var bytes = WarmStart.Value;
        using var trainer = Trainer.Create(Options with { Algorithm = algorithm, EvalEvery = 0, Temperature = 1.5, PolicyUpdatesPerBatch = 2 },
            new ModelSource.Checkpoint(() => new MemoryStream(bytes)), Tasks, agent);
        using var before = trainer.Policy.parameters().First().detach().clone();

        var report = trainer.Step();

        output.WriteLine($"{algorithm}: success {report.Metrics[MetricKeys.EnvSuccess]:0.00}, frac_zero_std {report.Metrics[MetricKeys.RewardFracZeroStd]:0.00}, invalid {report.Metrics[MetricKeys.EnvInvalidActionFrac]:0.00}");
        Assert.True(double.IsFinite(report.Metrics[MetricKeys.LossPolicy]), "loss");
        Assert.True(report.Metrics[MetricKeys.RewardFracZeroStd] < 1, "some group's episodes differ");
        Assert.True(double.IsFinite(report.Metrics[MetricKeys.PolicyEntropy]), "entropy");
        Assert.Equal(algorithm == TrainingAlgorithm.Ppo, report.Metrics.ContainsKey(MetricKeys.ValueLoss));
        Assert.Equal(algorithm == TrainingAlgorithm.Ppo, report.Metrics.ContainsKey(MetricKeys.ValueExplainedVariance));
        Assert.NotNull(report.Rollouts[0].Turns);
        using var after = trainer.Policy.parameters().First().detach();
        using var change = (after - before).abs().max();
        Assert.True(change.item<float>() > 0, "the policy moved");
    }

    /// <summary>
    /// An untrained model writes no valid action, so every episode of a group ends alike: no advantage, no update (GRPO
    /// learns from differences; warm starts come from SFT on demonstrations).
    /// </summary>
    [Fact]
    public void GroupsWhoseEpisodesAllEndAlike_TeachNothing()
    {
        using var trainer = Trainer.Create(Options with { Beta = 0 }, new ModelSource.Preset("tiny"), Tasks, new AgentOptions { Episodes = new EpisodeSettings(MaxTurns: 2) });
        using var before = trainer.Policy.parameters().First().detach().clone();
        var report = trainer.Step();
        Assert.Equal(0.0, report.Metrics[MetricKeys.EnvSuccess]);
        Assert.Equal(1.0, report.Metrics[MetricKeys.RewardFracZeroStd]);
        Assert.Equal(0.0, report.Metrics[MetricKeys.AdvantageMean], 9);
        using var after = trainer.Policy.parameters().First().detach();
        using var change = (after - before).abs().max();
        Assert.Equal(0f, change.item<float>());
    }

    [Fact]
    public void WrongAlgorithmOrTask_IsRefusedNamingIt()
    {
        var agent = new AgentOptions();
        var dpo = Assert.Throws<ArgumentException>(() => Trainer.Create(Options with { Algorithm = TrainingAlgorithm.Dpo }, new ModelSource.Preset("tiny"), Tasks, agent));
        Assert.Contains("GRPO, RLOO, REINFORCE++ or PPO, not Dpo", dpo.Message);
        var gigpoPpo = Assert.Throws<ArgumentException>(() => Trainer.Create(Options with { Algorithm = TrainingAlgorithm.Ppo }, new ModelSource.Preset("tiny"), Tasks,
            agent with { AdvantageMode = EpisodeAdvantageMode.Gigpo }));
        Assert.Contains("GiGPO", gigpoPpo.Message);
        var unknown = Assert.Throws<ArgumentException>(() => Trainer.Create(Options, new ModelSource.Preset("tiny"), [new EnvironmentTask("chess", "Win.", 1)], agent));
        Assert.Contains("Task 1: unknown environment 'chess'", unknown.Message);
    }

    /// <summary>SFT on the built-in demonstrations teaches the tiny preset to play: held-out success rises from 0.</summary>
    [Fact]
    public void SftOnDemonstrations_TeachesTheGame()
    {
        var tasks = Enumerable.Range(0, 200).Select(seed => new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", seed,
            new Dictionary<string, System.Text.Json.JsonElement> { ["max"] = System.Text.Json.JsonSerializer.SerializeToElement(8) })).ToArray();
        var options = new TrainerOptions
        {
            Algorithm = TrainingAlgorithm.Sft, Steps = 120, BatchSize = 16, MaxNewTokens = 8, LearningRate = 3e-3, Seed = 2,
            EvalEvery = 120, EvalFraction = 0.2, EvalSamples = 40,
        };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), tasks, new AgentOptions { Episodes = new EpisodeSettings(MaxTurns: 5) });
        var before = trainer.Evaluate()[MetricKeys.EvalEnvSuccess];
        StepReport last = null!;
        while (trainer.CompletedSteps < options.Steps) last = trainer.Step();
        var after = last.Metrics[MetricKeys.EvalEnvSuccess];
        output.WriteLine($"held-out success {before:0.00} → {after:0.00} after {options.Steps} SFT steps; loss {last.Metrics[MetricKeys.LossSft]:0.000}");
        Assert.True(after >= before + 0.3, $"held-out success {before:0.00} → {after:0.00}, loss {last.Metrics[MetricKeys.LossSft]:0.000}");
    }
}
