using System.Diagnostics;
using System.Text;
using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.HuggingFace;
using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Tokenization;
using RlStudio.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine;

/// <summary>
/// Runs one training job step by step: owns the policy, its scalar head (PPO value head, reward-model score
/// head), the frozen reference (KL or DPO/IPO), AdamW, the sampling generator and the data stream.
/// Prompt algorithms (SFT, GRPO, RLOO, REINFORCE++, PPO) train on <see cref="PromptExample"/>s with reward
/// functions; preference algorithms (DPO, IPO, reward model) on <see cref="PreferenceExample"/>s.
/// The base is a preset, a checkpoint or a Hugging Face folder; its tokenizer is used throughout the run and stored
/// in checkpoints. With <see cref="TrainerOptions.Lora"/> only the policy's adapters train (AdamW and clipping see
/// nothing else) and the reference is the policy itself with its adapters switched off (no copy). With <see cref="Precision.BFloat16"/> forward and backward
/// run on a bfloat16 working copy of the policy while the float32 policy stays the master that AdamW updates and
/// checkpoints store (so a checkpoint's format does not depend on the precision). Not thread-safe; one trainer per run.
/// </summary>
public sealed class Trainer : IDisposable
{
    private TrainerOptions options;
    private IReadOnlyList<WeightedReward> rewards;
    private readonly CausalLm policy;
    private readonly MixedPrecisionPolicy? mixedPrecision;
    private readonly ScalarHead? head;
    private readonly CausalLm? reference;
    private readonly AdamW optimizer;
    private readonly Generator sampling;
    private readonly Func<TrainerOptions, long, IDataStream> streamAt;
    private IDataStream data;
    private readonly ITokenizer tokenizer;
    private readonly Device device;

    /// <param name="streamAt">The data stream of a set of options, at a cursor (built again when <see cref="Adjust"/> changes the options).</param>
    private Trainer(TrainerOptions options, Func<TrainerOptions, long, IDataStream> streamAt, long cursor, IReadOnlyList<WeightedReward> rewards,
        CausalLm cpuPolicy, ITokenizer tokenizer, ScalarHead? cpuHead, Device device, int completedSteps)
    {
        this.options = options;
        this.rewards = rewards;
        this.device = device;
        this.streamAt = streamAt;
        data = streamAt(options, cursor);
        this.tokenizer = tokenizer;
        policy = cpuPolicy.to(device);
        if (options.Algorithm.NeedsScalarHead()) head = (cpuHead ?? NewHead(policy.Config, options.Seed)).to(device);
        // A LoRA run's reference is its own adapter-free policy (TrainingContext.OnReference): no copy.
        if (options.NeedsReference && policy.Config.Lora is null)
        {
            reference = policy.MergeLora().to(device);
            reference.eval();
            foreach (var p in reference.parameters()) p.requires_grad = false;
        }
        mixedPrecision = options.Precision switch
        {
            Precision.Float32 => null,
            Precision.BFloat16 => new MixedPrecisionPolicy(policy, device),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Precision, null),
        };
        optimizer = optim.AdamW([.. policy.TrainableParameters(), .. head?.parameters() ?? []], options.LearningRate, weight_decay: options.WeightDecay);
        sampling = new Generator(unchecked((ulong)options.Seed + 1), device);
        CompletedSteps = completedSteps;
    }

    public int CompletedSteps { get; private set; }

    /// <summary>"cuda" or "cpu".</summary>
    public string DeviceName => device.type == DeviceType.CUDA ? "cuda" : "cpu";

    public ModelConfig ModelConfig => policy.Config;

    /// <summary>The policy being trained (for evaluation; do not dispose).</summary>
    public CausalLm Policy => policy;

    /// <summary>The run's tokenizer: the byte tokenizer for presets, the folder's or checkpoint's otherwise.</summary>
    public ITokenizer Tokenizer => tokenizer;

    /// <summary>Parameters AdamW updates: the policy's (only its adapters under LoRA) plus the scalar head's.</summary>
    public long TrainableParameterCount => optimizer.parameters().Sum(p => p.numel());

    /// <summary>Starts a prompt-based run (SFT, GRPO, RLOO, REINFORCE++, PPO) from a preset, a checkpoint or a Hugging Face folder.</summary>
    public static Trainer Create(TrainerOptions options, ModelSource source, IReadOnlyList<PromptExample> data,
        IReadOnlyList<WeightedReward> rewards)
    {
        CheckPrompts(options, data, rewards);
        var (model, baseTokenizer) = BaseModel.Load(source, options);
        return new Trainer(options, (o, cursor) => PromptStream(o, data, cursor), 0, rewards, model, baseTokenizer, null, ComputeDevice.Best(), 0);
    }

    /// <summary>Starts a preference run (DPO, IPO, reward model) from a preset, a checkpoint or a Hugging Face folder.</summary>
    public static Trainer Create(TrainerOptions options, ModelSource source, IReadOnlyList<PreferenceExample> data)
    {
        CheckPreferences(options, data);
        var (model, baseTokenizer) = BaseModel.Load(source, options);
        return new Trainer(options, (o, cursor) => PreferenceStream(o, data, cursor), 0, [], model, baseTokenizer, null, ComputeDevice.Best(), 0);
    }

    /// <summary>
    /// Starts an agentic run on environment tasks (SFT on their demonstrations, or GRPO, RLOO, REINFORCE++ or PPO on
    /// episodes; <paramref name="agent"/> says how episodes are played and credited), from a preset, a checkpoint or a Hugging Face folder.
    /// </summary>
    public static Trainer Create(TrainerOptions options, ModelSource source, IReadOnlyList<EnvironmentTask> tasks, Agents.AgentOptions agent)
    {
        CheckTasks(options, tasks, agent);
        var (model, baseTokenizer) = BaseModel.Load(source, options);
        return new Trainer(options, (o, cursor) => TaskStream(o, tasks, agent, cursor), 0, [], model, baseTokenizer, null, ComputeDevice.Best(), 0);
    }

    /// <summary>Continues an agentic run from its own checkpoint.</summary>
    public static Trainer Resume(TrainerOptions options, Stream ownCheckpoint, IReadOnlyList<EnvironmentTask> tasks, Agents.AgentOptions agent)
    {
        CheckTasks(options, tasks, agent);
        return Resume(options, ownCheckpoint, [], (o, cursor) => TaskStream(o, tasks, agent, cursor));
    }

    /// <summary>Continues a prompt-based run from its own checkpoint: weights, head, optimizer, reference, RNG and data cursor.</summary>
    public static Trainer Resume(TrainerOptions options, Stream ownCheckpoint, IReadOnlyList<PromptExample> data,
        IReadOnlyList<WeightedReward> rewards)
    {
        CheckPrompts(options, data, rewards);
        return Resume(options, ownCheckpoint, rewards, (o, cursor) => PromptStream(o, data, cursor));
    }

    /// <summary>Continues a preference run from its own checkpoint.</summary>
    public static Trainer Resume(TrainerOptions options, Stream ownCheckpoint, IReadOnlyList<PreferenceExample> data)
    {
        CheckPreferences(options, data);
        return Resume(options, ownCheckpoint, [], (o, cursor) => PreferenceStream(o, data, cursor));
    }

    /// <summary>One optimizer step (μ updates for multi-update policy gradients): metrics, rollouts and, every EvalEvery steps, eval/*.</summary>
    public StepReport Step()
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var context = Context();
        var outcome = data.Step(context);
        CompletedSteps++;
        var seconds = clock.Elapsed.TotalSeconds;
        var metrics = outcome.Metrics;
        foreach (var (key, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!double.IsFinite(value) && MetricKeys.MustStayFinite(key)) throw new TrainingDivergedException(CompletedSteps, key, value);
        }
        metrics[MetricKeys.OptimLr] = options.LearningRate;
        metrics[MetricKeys.PerfStepSeconds] = seconds;
        metrics[MetricKeys.PerfTokensPerSecond] = outcome.Tokens / Math.Max(seconds, 1e-9);
        if (options.EvalEvery > 0 && CompletedSteps % options.EvalEvery == 0) data.Evaluate(context, CompletedSteps, metrics);
        return new StepReport(CompletedSteps, metrics, outcome.Rollouts);
    }

    /// <summary>
    /// Changes, from the next step on, the options that may change while a run trains (<see cref="AdjustableOptions"/>:
    /// learning rate, sampling, KL and clip weights, …) and the reward functions' weights. It does exactly what resuming
    /// at this step with <paramref name="next"/> would do (the data stream is rebuilt at its cursor, AdamW takes the new
    /// learning rate), so a run that changes at step s and one resumed before s that changes again at s train alike.
    /// Throws <see cref="ArgumentException"/> when another option differs, β would switch between 0 and positive (the
    /// reference model is kept only with β &gt; 0), or the reward functions are not the same ones.
    /// </summary>
    public void Adjust(TrainerOptions next, IReadOnlyList<WeightedReward> nextRewards)
    {
        next.Validate();
        if (AdjustableOptions.FixedDifferences(options, next) is { Count: > 0 } fixedOnes)
            throw new ArgumentException($"Only {string.Join(", ", AdjustableOptions.Keys)} can change while a run trains, not {string.Join(", ", fixedOnes)}.", nameof(next));
        if (next.NeedsReference != options.NeedsReference)
            throw new ArgumentException("β cannot switch between 0 and a positive value while a run trains: the frozen reference is kept only when β > 0.", nameof(next));
        if (nextRewards.Count != rewards.Count || nextRewards.Where((r, i) => !ReferenceEquals(r.Function, rewards[i].Function)).Any())
            throw new ArgumentException("A change may reweight the run's reward functions, not replace them.", nameof(nextRewards));
        options = next;
        rewards = nextRewards;
        SetLearningRate(next.LearningRate);
        data = streamAt(next, data.Cursor);
    }

    private void SetLearningRate(double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    /// <summary>The options in effect (after any <see cref="Adjust"/>).</summary>
    public TrainerOptions Options => options;

    /// <summary>
    /// Held-out evaluation of the policy as it stands (the eval/* metrics of <see cref="Step"/>), without training or
    /// touching any training state; empty when evaluation is off. Before the first step it measures the starting point.
    /// </summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        using var scope = NewDisposeScope();
        var context = Context();
        var metrics = new Dictionary<string, double>();
        if (options.EvalEvery > 0) data.Evaluate(context, CompletedSteps, metrics);
        return metrics;
    }

    private TrainingContext Context() =>
        new(options, policy, reference, head, optimizer, sampling, rewards, tokenizer, device, mixedPrecision);

    /// <summary>Writes a checkpoint that <c>Resume</c> continues exactly (and that can serve as a base model).</summary>
    public void SaveCheckpoint(Stream destination)
    {
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        CheckpointFormat.WriteHeader(writer, new CheckpointHeader
        {
            Model = policy.Config,
            Algorithm = options.Algorithm,
            CompletedSteps = CompletedSteps,
            DataCursor = data.Cursor,
            Options = options,
            ParameterCount = policy.ParameterCount,
            HasReference = reference is not null,
            HasHead = head is not null,
        }.WithTokenizer(tokenizer));
        policy.save(writer);
        head?.save(writer);
        optimizer.save_state_dict(writer);
        reference?.save(writer);
        CheckpointFormat.WriteGeneratorState(writer, sampling);
        writer.Flush();
    }

    /// <summary>
    /// Writes the current policy as a Hugging Face folder (config.json, model.safetensors, tokenizer.json) with
    /// LoRA adapters merged into a copy; the trained policy itself is unchanged.
    /// </summary>
    public void ExportHuggingFace(string folder)
    {
        using var plain = policy.MergeLora();   // a CPU copy, merged when the policy has adapters
        HfModelFolder.Export(plain, tokenizer, folder);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        sampling.Dispose();
        reference?.Dispose();
        mixedPrecision?.Dispose();
        head?.Dispose();
        policy.Dispose();
    }

    private static Trainer Resume(TrainerOptions options, Stream ownCheckpoint, IReadOnlyList<WeightedReward> rewards,
        Func<TrainerOptions, long, IDataStream> streamAt)
    {
        using var reader = new BinaryReader(ownCheckpoint, Encoding.UTF8, leaveOpen: true);
        var header = CheckpointFormat.ReadHeader(reader);
        if (header.Algorithm != options.Algorithm)
            throw new InvalidOperationException($"The checkpoint was written by a {header.Algorithm} run, not {options.Algorithm}.");
        if (!Equals(header.Model.Lora, options.Lora))
            throw new InvalidOperationException("The checkpoint's LoRA settings differ from the options' Lora; resume with the run's own options.");
        var model = CheckpointFormat.ReadModel(reader, header.Model);
        var savedHead = header.HasHead ? CheckpointFormat.ReadHead(reader, header.Model) : null;
        var trainer = new Trainer(options, streamAt, header.DataCursor, rewards, model, header.CreateTokenizer(), savedHead, ComputeDevice.Best(),
            header.CompletedSteps);
        try
        {
            trainer.optimizer.load_state_dict(reader);
            // The saved state carries the learning rate it ran with; a resume may set another (e.g. lower after a divergence).
            trainer.SetLearningRate(options.LearningRate);
            if (header.HasReference)
            {
                using var savedReference = CheckpointFormat.ReadModel(reader, header.Model with { Lora = null });
                trainer.reference?.CopyWeightsFrom(savedReference);
            }
            CheckpointFormat.ReadGeneratorState(reader, trainer.sampling);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    private static IDataStream PromptStream(TrainerOptions options, IReadOnlyList<PromptExample> data, long cursor)
    {
        ITrainingAlgorithm<PromptExample> algorithm = options.Algorithm switch
        {
            TrainingAlgorithm.Sft => new SftAlgorithm(options),
            TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo or TrainingAlgorithm.ReinforcePp or TrainingAlgorithm.Ppo =>
                new PolicyGradientAlgorithm(options),
            TrainingAlgorithm.Dpo or TrainingAlgorithm.Ipo or TrainingAlgorithm.RewardModel =>
                throw new ArgumentException(PreferenceOnly(options.Algorithm), nameof(data)),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Algorithm, null),
        };
        return new DataStream<PromptExample>(algorithm, data, options, cursor);
    }

    private static IDataStream TaskStream(TrainerOptions options, IReadOnlyList<EnvironmentTask> tasks, Agents.AgentOptions agent, long cursor) =>
        new DataStream<EnvironmentTask>(options.Algorithm == TrainingAlgorithm.Sft
            ? new AgenticSftAlgorithm(options, agent)
            : new AgenticAlgorithm(options, agent), tasks, options, cursor);

    private static IDataStream PreferenceStream(TrainerOptions options, IReadOnlyList<PreferenceExample> data, long cursor) =>
        new DataStream<PreferenceExample>(new PreferenceAlgorithm(options), data, options, cursor);

    private static ScalarHead NewHead(ModelConfig config, long seed)
    {
        var scalarHead = new ScalarHead(config.DModel);
        using var generator = new Generator(unchecked((ulong)seed + 2), CPU);
        scalarHead.InitializeWeights(generator);
        return scalarHead;
    }

    private static string PreferenceOnly(TrainingAlgorithm algorithm) =>
        $"{algorithm} trains on preference pairs (PreferenceExample: prompt, chosen, rejected), not on prompts; use the preference overload.";

    private static void CheckPrompts(TrainerOptions options, IReadOnlyList<PromptExample> data, IReadOnlyList<WeightedReward> rewards)
    {
        options.Validate();
        if (options.Algorithm.UsesPreferenceData()) throw new ArgumentException(PreferenceOnly(options.Algorithm), nameof(data));
        if (data.Count == 0) throw new ArgumentException("The dataset is empty.", nameof(data));
        if (options.Algorithm.IsPolicyGradient() && rewards.Count == 0)
            throw new ArgumentException($"{options.Algorithm} needs at least one reward function.", nameof(rewards));
    }

    private static void CheckTasks(TrainerOptions options, IReadOnlyList<EnvironmentTask> tasks, Agents.AgentOptions agent)
    {
        options.Validate();
        if (!options.Algorithm.TrainsOnEpisodes())
            throw new ArgumentException($"Agentic runs train with SFT on demonstrations, GRPO, RLOO, REINFORCE++ or PPO, not {options.Algorithm}.", nameof(options));
        if (agent.AdvantageMode == Agents.EpisodeAdvantageMode.Gigpo && options.Algorithm is not (TrainingAlgorithm.Grpo or TrainingAlgorithm.Rloo))
            throw new ArgumentException($"GiGPO compares steps within a task's group of episodes: it works with GRPO or RLOO, not {options.Algorithm}.", nameof(agent));
        if (options.MiniBatches > 1)
            throw new ArgumentException("Agentic runs update on the whole batch of episodes: MiniBatches must be 1.", nameof(options));
        if (tasks.Count == 0) throw new ArgumentException("The task dataset is empty.", nameof(tasks));
        if (agent.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(agent));
        if (tasks.Select((t, i) => (Error: EnvironmentCatalog.Validate(t), i)).FirstOrDefault(e => e.Error is not null) is { Error: { } error } bad)
            throw new ArgumentException($"Task {bad.i + 1}: {error}.", nameof(tasks));
    }

    private static void CheckPreferences(TrainerOptions options, IReadOnlyList<PreferenceExample> data)
    {
        options.Validate();
        if (!options.Algorithm.UsesPreferenceData())
            throw new ArgumentException(
                $"{options.Algorithm} trains on prompts (PromptExample) with reward functions, not on preference pairs; use the prompt overload.",
                nameof(data));
        if (data.Count == 0) throw new ArgumentException("The dataset is empty.", nameof(data));
    }
}
