using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;

namespace RlStudio.Engine.Tests.Training;

public sealed class HuggingFaceTrainingTests : IDisposable
{
    private static readonly WeightedReward[] ExactMatch = [new(new ExactMatchReward())];
    private readonly HfTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static TrainerOptions Sft => new()
    {
        Algorithm = TrainingAlgorithm.Sft, Steps = 100, BatchSize = 4, LearningRate = 1e-2, MaxNewTokens = 12,
        Temperature = 0, Seed = 5, RolloutsPerStep = 4,
    };

    private static TrainerOptions Grpo => new()
    {
        Algorithm = TrainingAlgorithm.Grpo, Steps = 100, BatchSize = 8, GroupSize = 4, LearningRate = 1e-3,
        MaxNewTokens = 6, Temperature = 1.0, Beta = 0.04, Seed = 6,
    };

    private ModelSource Source => new ModelSource.HuggingFaceFolder(folder.Path);

    private static byte[] SaveBytes(Trainer trainer)
    {
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Sft_FromHfFolder_LossFallsAndCompletionsDecodeWithBpe()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        Assert.Same(typeof(ByteLevelBpeTokenizer), trainer.Tokenizer.GetType());
        StepReport last = null!;
        var losses = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            last = trainer.Step();
            losses.Add(last.Metrics[MetricKeys.LossSft]);
        }
        Assert.True(losses.TakeLast(5).Average() < 0.3 * losses.Take(5).Average(), string.Join(", ", losses));
        // Memorized references come back as text only when decoded with the folder's BPE tokenizer.
        Assert.All(last.Rollouts, r => Assert.Equal(r.Reference, r.Completion));
        Assert.Equal(1.0, last.Metrics[MetricKeys.RewardMean]);
    }

    [Fact]
    public void Sft_FromHfFolder_ResumeGivesIdenticalNextStep()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        for (var i = 0; i < 3; i++) trainer.Step();
        var bytes = SaveBytes(trainer);
        var expected = trainer.Step();

        using var resumed = Trainer.Resume(Sft, new MemoryStream(bytes), HfTestFolder.Data, ExactMatch);
        Assert.Equal(3, resumed.CompletedSteps);
        Assert.Equal(folder.Tokenizer.Json, ((ByteLevelBpeTokenizer)resumed.Tokenizer).Json);
        var actual = resumed.Step();
        Assert.Equal(expected.Metrics[MetricKeys.LossSft], actual.Metrics[MetricKeys.LossSft]);
        Assert.Equal(expected.Rollouts.Select(r => r.Completion), actual.Rollouts.Select(r => r.Completion));
    }

    [Fact]
    public void Grpo_FromSftCheckpointOfHfFolder_KeepsTokenizerAndWeights()
    {
        using var sft = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        sft.Step();
        var bytes = SaveBytes(sft);
        using var grpo = Trainer.Create(Grpo, new ModelSource.Checkpoint(() => new MemoryStream(bytes)), HfTestFolder.Data, ExactMatch);
        var tokenizer = Assert.IsType<ByteLevelBpeTokenizer>(grpo.Tokenizer);
        Assert.Equal(folder.Tokenizer.Json, tokenizer.Json);
        Assert.Equal(folder.Tokenizer.EosId, tokenizer.EosId);
        var tokens = tokenizer.EncodePrompt("the cat sat");
        using (var a = HfTestFolder.Logits(sft.Policy, tokens))
        using (var b = HfTestFolder.Logits(grpo.Policy, tokens))
            Assert.True(HfTestFolder.Identical(a, b));

        var report = grpo.Step();
        Assert.True(double.IsFinite(report.Metrics[MetricKeys.LossPolicy]));
        var resumedBytes = SaveBytes(grpo);
        var next = grpo.Step();
        using var resumed = Trainer.Resume(Grpo, new MemoryStream(resumedBytes), HfTestFolder.Data, ExactMatch);
        var again = resumed.Step();
        Assert.Equal(next.Metrics[MetricKeys.LossPolicy], again.Metrics[MetricKeys.LossPolicy]);
        Assert.Equal(next.Rollouts.Select(r => r.Completion), again.Rollouts.Select(r => r.Completion));
    }

    [Fact]
    public void Dpo_FromHfFolder_Steps()
    {
        PreferenceExample[] pairs = [new("the cat", " sat on the mat.", " ate the hat;"), new("the dog", " ate the hat;", " sat.")];
        var options = new TrainerOptions { Algorithm = TrainingAlgorithm.Dpo, BatchSize = 2, LearningRate = 1e-3, Seed = 1 };
        using var trainer = Trainer.Create(options, Source, pairs);
        var report = trainer.Step();
        Assert.True(double.IsFinite(report.Metrics[MetricKeys.LossDpo]));
    }

    [Fact]
    public void Sampler_WithRunTokenizer_StopsAtItsEos()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        for (var i = 0; i < 60; i++) trainer.Step();
        var tokenizer = trainer.Tokenizer;
        using var generated = Sampler.Generate(trainer.Policy, [tokenizer.EncodePrompt("the cat")],
            new SamplingOptions { MaxNewTokens = 12, Temperature = 0 }, null, tokenizer);
        Assert.Equal(" sat on the mat.", generated.CompletionTexts[0]);
        Assert.Equal(tokenizer.EosId, generated.CompletionTokens[0][^1]);
    }

    [Fact]
    public void ExportHuggingFace_ThenLoad_IdenticalLogitsAndTokenizer()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        for (var i = 0; i < 3; i++) trainer.Step();
        var exported = folder.NewPath("export");
        trainer.ExportHuggingFace(exported);
        using var loaded = HfModelFolder.Load(exported);
        var tokens = folder.Tokenizer.EncodePrompt("the dog sat on the mat");
        using var expected = HfTestFolder.Logits(trainer.Policy, tokens);
        using var actual = HfTestFolder.Logits(loaded.Model, tokens);
        Assert.True(HfTestFolder.Identical(expected, actual));
        Assert.Equal(folder.Tokenizer.Json, Assert.IsType<ByteLevelBpeTokenizer>(loaded.Tokenizer).Json);

        var fromCheckpoint = folder.NewPath("from-checkpoint");
        CheckpointExport.ToHuggingFace(new MemoryStream(SaveBytes(trainer)), fromCheckpoint);
        using var reloaded = HfModelFolder.Load(fromCheckpoint);
        using var again = HfTestFolder.Logits(reloaded.Model, tokens);
        Assert.True(HfTestFolder.Identical(expected, again));
    }
}
