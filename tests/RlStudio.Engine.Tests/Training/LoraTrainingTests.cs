using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using TorchSharp;
using static TorchSharp.torch;

namespace RlStudio.Engine.Tests.Training;

public sealed class LoraTrainingTests : IDisposable
{
    private static readonly WeightedReward[] ExactMatch = [new(new ExactMatchReward())];
    private static readonly LoraOptions Lora = new() { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj"] };
    private readonly HfTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static TrainerOptions Sft => new()
    {
        Algorithm = TrainingAlgorithm.Sft, Steps = 100, BatchSize = 4, LearningRate = 1e-2, MaxNewTokens = 12,
        Temperature = 0, Seed = 5, RolloutsPerStep = 2, Lora = Lora,
    };

    private static TrainerOptions Grpo => new()
    {
        Algorithm = TrainingAlgorithm.Grpo, Steps = 100, BatchSize = 8, GroupSize = 4, LearningRate = 1e-2,
        MaxNewTokens = 6, Temperature = 1.0, Beta = 0.04, Seed = 6, Lora = Lora,
    };

    private ModelSource Source => new ModelSource.HuggingFaceFolder(folder.Path);

    private static Dictionary<string, Tensor> Snapshot(CausalLm model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    private static byte[] SaveBytes(Trainer trainer)
    {
        using var stream = new MemoryStream();
        trainer.SaveCheckpoint(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Sft_WithLora_OnlyAdaptersChangeAndOptimizerHoldsOnlyThem()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        var before = Snapshot(trainer.Policy);
        var adapterCount = trainer.Policy.named_parameters().Where(p => CausalLm.IsAdapter(p.name)).Sum(p => p.parameter.numel());
        Assert.Equal(adapterCount, trainer.TrainableParameterCount);
        Assert.True(adapterCount < trainer.Policy.ParameterCount / 10);

        var losses = Enumerable.Range(0, 20).Select(_ => trainer.Step().Metrics[MetricKeys.LossSft]).ToArray();
        Assert.True(losses[^1] < losses[0], string.Join(", ", losses));
        foreach (var (name, p) in trainer.Policy.named_parameters())
        {
            using var old = before[name];
            if (name.EndsWith(".lora_B", StringComparison.Ordinal)) Assert.False(HfTestFolder.Identical(old, p), name);
            else if (!CausalLm.IsAdapter(name)) Assert.True(HfTestFolder.Identical(old, p), name);
        }
        Assert.Equal(adapterCount, trainer.TrainableParameterCount);
    }

    [Fact]
    public void Create_WithLora_SameSeedGivesSameAdaptersAndBaseFunction()
    {
        using var a = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        using var b = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        using var plain = HfModelFolder.Load(folder.Path);
        var tokens = folder.Tokenizer.EncodePrompt("the cat sat");
        using var la = HfTestFolder.Logits(a.Policy, tokens);
        using var lb = HfTestFolder.Logits(b.Policy, tokens);
        using var lp = HfTestFolder.Logits(plain.Model, tokens);
        Assert.True(HfTestFolder.Identical(la, lb));
        Assert.True(la.allclose(lp, rtol: 1e-5, atol: 1e-6));   // B = 0: adapters start as a no-op
        var pa = a.Policy.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in b.Policy.named_parameters()) Assert.True(HfTestFolder.Identical(pa[name], p), name);
    }

    [Fact]
    public void Grpo_WithLora_StepsResumesExactlyAndKeepsAdapterFreeReference()
    {
        using var trainer = Trainer.Create(Grpo, Source, HfTestFolder.Data, ExactMatch);
        var first = trainer.Step();
        Assert.True(double.IsFinite(first.Metrics[MetricKeys.PolicyKl]));
        var bytes = SaveBytes(trainer);
        var next = trainer.Step();

        using var resumed = Trainer.Resume(Grpo, new MemoryStream(bytes), HfTestFolder.Data, ExactMatch);
        var again = resumed.Step();
        Assert.Equal(next.Metrics[MetricKeys.LossPolicy], again.Metrics[MetricKeys.LossPolicy]);
        Assert.Equal(next.Metrics[MetricKeys.PolicyKl], again.Metrics[MetricKeys.PolicyKl]);
        Assert.Equal(trainer.TrainableParameterCount, resumed.TrainableParameterCount);

        var header = CheckpointFormat.ReadBase(new MemoryStream(bytes));
        using var model = header.Model;
        Assert.Equal(Lora, header.Header.Model.Lora);
        Assert.NotNull(header.Header.TokenizerJson);
    }

    [Fact]
    public void Grpo_WithLora_ReferenceIsTheAdapterFreePolicy_NotACopy()
    {
        // A reward that varies within groups, so the adapters move (an all-zero exact match would leave them at B = 0).
        using var trainer = Trainer.Create(Grpo, Source, HfTestFolder.Data, [new WeightedReward(new CompletionLength())]);
        var reports = Enumerable.Range(0, 4).Select(_ => trainer.Step()).ToArray();
        // B starts at zero, so at step 1 policy and reference are the same function bit for bit: k3 KL is exactly 0.
        Assert.Equal(0.0, reports[0].Metrics[MetricKeys.PolicyKl]);
        Assert.Contains(reports.Skip(1), r => r.Metrics[MetricKeys.PolicyKl] > 0);

        // After training, the policy with its adapters off still computes the base model's function.
        using var plain = HfModelFolder.Load(folder.Path);
        var tokens = folder.Tokenizer.EncodePrompt("the cat sat");
        using var withAdapters = HfTestFolder.Logits(trainer.Policy, tokens);
        using var baseLogits = HfTestFolder.Logits(plain.Model, tokens);
        Tensor adapterFree;
        using (trainer.Policy.AdaptersOff()) adapterFree = HfTestFolder.Logits(trainer.Policy, tokens);
        using (adapterFree)
        {
            Assert.True(adapterFree.allclose(baseLogits, rtol: 1e-5, atol: 1e-6));
            Assert.False(withAdapters.allclose(baseLogits, rtol: 1e-5, atol: 1e-6));
        }
        using var again = HfTestFolder.Logits(trainer.Policy, tokens);
        Assert.True(HfTestFolder.Identical(withAdapters, again));   // switched back on

        // No reference copy is kept, so none is checkpointed.
        using var reader = new BinaryReader(new MemoryStream(SaveBytes(trainer)));
        Assert.False(CheckpointFormat.ReadHeader(reader).HasReference);
    }

    private sealed class CompletionLength : IRewardFunction
    {
        public string Name => "length";

        public IReadOnlyList<double?> Score(IReadOnlyList<PromptExample> examples, IReadOnlyList<string> completions) =>
            completions.Select(c => (double?)c.Length / 10).ToArray();
    }

    [Fact]
    public void Dpo_WithLora_ImplicitRewardsStartAtZeroAndMarginGrows()
    {
        var options = PreferenceTrainingTests.Options(TrainingAlgorithm.Dpo) with { Lora = Lora };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), PreferenceTrainingTests.Pairs);
        var reports = Enumerable.Range(0, 15).Select(_ => trainer.Step()).ToArray();
        Assert.Equal(0.0, reports[0].Metrics[MetricKeys.RewardsChosen]);
        Assert.Equal(0.0, reports[0].Metrics[MetricKeys.RewardsRejected]);
        Assert.True(reports[^1].Metrics[MetricKeys.RewardsMargin] > 0, string.Join(", ", reports.Select(r => r.Metrics[MetricKeys.RewardsMargin])));
    }

    [Fact]
    public void Resume_WithDifferentLora_Throws()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        trainer.Step();
        var bytes = SaveBytes(trainer);
        var ex = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Resume(Sft with { Lora = null }, new MemoryStream(bytes), HfTestFolder.Data, ExactMatch));
        Assert.Contains("LoRA", ex.Message);
    }

    [Fact]
    public void Export_AfterLora_LoadsAsPlainModelWithMergedLogits()
    {
        using var trainer = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        for (var i = 0; i < 5; i++) trainer.Step();
        var exported = folder.NewPath("lora-export");
        trainer.ExportHuggingFace(exported);
        using var loaded = HfModelFolder.Load(exported);
        Assert.Null(loaded.Model.Config.Lora);
        using var merged = trainer.Policy.MergeLora();
        var tokens = folder.Tokenizer.EncodePrompt("then the dog sat");
        using var expected = HfTestFolder.Logits(merged, tokens);
        using var withAdapters = HfTestFolder.Logits(trainer.Policy, tokens);
        using var actual = HfTestFolder.Logits(loaded.Model, tokens);
        Assert.True(HfTestFolder.Identical(expected, actual));
        Assert.True(withAdapters.allclose(actual, rtol: 1e-4, atol: 1e-5));

        var fromCheckpoint = folder.NewPath("lora-checkpoint-export");
        CheckpointExport.ToHuggingFace(new MemoryStream(SaveBytes(trainer)), fromCheckpoint);
        using var reloaded = HfModelFolder.Load(fromCheckpoint);
        using var again = HfTestFolder.Logits(reloaded.Model, tokens);
        Assert.True(HfTestFolder.Identical(expected, again));
    }

    [Fact]
    public void CheckpointOfLoraRun_AsBase_LoadsMergedAndAddsFreshAdapters()
    {
        using var sft = Trainer.Create(Sft, Source, HfTestFolder.Data, ExactMatch);
        for (var i = 0; i < 3; i++) sft.Step();
        var bytes = SaveBytes(sft);
        using var plain = Trainer.Create(Grpo with { Lora = null }, new ModelSource.Checkpoint(() => new MemoryStream(bytes)),
            HfTestFolder.Data, ExactMatch);
        Assert.Null(plain.ModelConfig.Lora);
        Assert.Equal(plain.Policy.ParameterCount, plain.TrainableParameterCount);
        using var merged = sft.Policy.MergeLora();
        var tokens = folder.Tokenizer.EncodePrompt("the cat");
        using (var a = HfTestFolder.Logits(merged, tokens))
        using (var b = HfTestFolder.Logits(plain.Policy, tokens))
            Assert.True(HfTestFolder.Identical(a, b));
        using var adapted = Trainer.Create(Grpo, new ModelSource.Checkpoint(() => new MemoryStream(bytes)), HfTestFolder.Data, ExactMatch);
        Assert.Equal(Lora, adapted.ModelConfig.Lora);
        Assert.True(double.IsFinite(adapted.Step().Metrics[MetricKeys.LossPolicy]));
    }

    [Fact]
    public void Sft_WithLoraOnPreset_Trains()
    {
        var options = Sft with { BatchSize = 8, MaxNewTokens = 3 };
        using var trainer = Trainer.Create(options, new ModelSource.Preset("tiny"), Tasks.AdditionTask.Generate(1, 50, seed: 3), ExactMatch);
        Assert.True(trainer.TrainableParameterCount < trainer.Policy.ParameterCount);
        Assert.True(double.IsFinite(trainer.Step().Metrics[MetricKeys.LossSft]));
    }

    [Fact]
    public void MemoryEstimate_WithLora_CountsAdaptersAsTheOnlyTrainedWeights()
    {
        using var trainer = Trainer.Create(Grpo, Source, HfTestFolder.Data, ExactMatch);
        using var plain = HfModelFolder.Load(folder.Path);
        var estimate = MemoryEstimate.ForOptions(Grpo, plain.Model.Config);
        Assert.Equal(trainer.Policy.ParameterCount * 4, estimate.WeightBytes);
        Assert.Equal(trainer.TrainableParameterCount * 4, estimate.GradientBytes);
        Assert.Equal(0, estimate.ReferenceBytes);   // the reference is the adapter-free policy, not a copy
    }

    [Theory]
    [InlineData(0, 16, "q_proj", "LoRA rank")]
    [InlineData(4, 0, "q_proj", "LoRA alpha")]
    [InlineData(4, 8, "attn", "Unknown LoRA target")]
    public void Validate_InvalidLora_Rejected(int rank, double alpha, string target, string message)
    {
        var options = Sft with { Lora = new LoraOptions { Rank = rank, Alpha = alpha, TargetModules = [target] } };
        var error = options.FirstError();
        Assert.NotNull(error);
        Assert.Contains(message, error);
        Assert.Throws<ArgumentException>(() => Trainer.Create(options, Source, HfTestFolder.Data, ExactMatch));
    }
}
