using System.Diagnostics;
using System.Text;
using RlStudio.Engine.Checkpoints;
using RlStudio.Engine.Model;
using RlStudio.Engine.Rewards;
using RlStudio.Engine.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine;

/// <summary>
/// Runs one training job step by step: owns the policy, the frozen reference (GRPO with β &gt; 0),
/// AdamW, the sampling generator and the data cursor. Not thread-safe; one trainer per run.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainerOptions options;
    private readonly IReadOnlyList<WeightedReward> rewards;
    private readonly CausalLm policy;
    private readonly CausalLm? reference;
    private readonly AdamW optimizer;
    private readonly Generator sampling;
    private readonly DataOrder dataOrder;
    private readonly ITrainingAlgorithm algorithm;
    private readonly Device device;

    private Trainer(TrainerOptions options, IReadOnlyList<PromptExample> data, IReadOnlyList<WeightedReward> rewards,
        CausalLm cpuPolicy, Device device, long dataCursor, int completedSteps)
    {
        this.options = options;
        this.rewards = rewards;
        this.device = device;
        policy = cpuPolicy.to(device);
        if (options.Algorithm == TrainingAlgorithm.Grpo && options.Beta > 0)
        {
            reference = new CausalLm(policy.Config).to(device);
            reference.CopyWeightsFrom(policy);
            reference.eval();
            foreach (var p in reference.parameters()) p.requires_grad = false;
        }
        optimizer = optim.AdamW(policy.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        sampling = new Generator(unchecked((ulong)options.Seed + 1), device);
        dataOrder = new DataOrder(data, options.Seed, dataCursor);
        algorithm = options.Algorithm switch
        {
            TrainingAlgorithm.Sft => new SftAlgorithm(options),
            TrainingAlgorithm.Grpo => new GrpoAlgorithm(options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Algorithm, null),
        };
        CompletedSteps = completedSteps;
    }

    public int CompletedSteps { get; private set; }

    /// <summary>"cuda" or "cpu".</summary>
    public string DeviceName => device.type == DeviceType.CUDA ? "cuda" : "cpu";

    public ModelConfig ModelConfig => policy.Config;

    /// <summary>The policy being trained (for evaluation; do not dispose).</summary>
    public CausalLm Policy => policy;

    /// <summary>Starts a run from a preset (seeded init) or a checkpoint's config and weights.</summary>
    public static Trainer Create(TrainerOptions options, ModelSource source, IReadOnlyList<PromptExample> data,
        IReadOnlyList<WeightedReward> rewards)
    {
        Check(options, data, rewards);
        var model = source switch
        {
            ModelSource.Preset preset => NewModel(ModelConfig.FromPreset(preset.Name), options.Seed),
            ModelSource.Checkpoint checkpoint => LoadBase(checkpoint),
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
        };
        return new Trainer(options, data, rewards, model, ChooseDevice(), dataCursor: 0, completedSteps: 0);
    }

    /// <summary>Continues a run from its own checkpoint: weights, optimizer, reference, RNG and data cursor.</summary>
    public static Trainer Resume(TrainerOptions options, Stream ownCheckpoint, IReadOnlyList<PromptExample> data,
        IReadOnlyList<WeightedReward> rewards)
    {
        Check(options, data, rewards);
        using var reader = new BinaryReader(ownCheckpoint, Encoding.UTF8, leaveOpen: true);
        var header = CheckpointFormat.ReadHeader(reader);
        if (header.Algorithm != options.Algorithm)
            throw new InvalidOperationException($"The checkpoint was written by a {header.Algorithm} run, not {options.Algorithm}.");
        var model = CheckpointFormat.ReadModel(reader, header.Model);
        var trainer = new Trainer(options, data, rewards, model, ChooseDevice(), header.DataCursor, header.CompletedSteps);
        try
        {
            trainer.optimizer.load_state_dict(reader);
            if (header.HasReference)
            {
                using var savedReference = CheckpointFormat.ReadModel(reader, header.Model);
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

    /// <summary>One optimizer step: a batch from the data stream, the algorithm's update, metrics and rollouts.</summary>
    public StepReport Step()
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var batch = dataOrder.Take(algorithm.ExamplesPerStep);
        var context = new TrainingContext(options, policy, reference, optimizer, sampling, rewards, device);
        var outcome = algorithm.Step(context, batch);
        CompletedSteps++;
        var seconds = clock.Elapsed.TotalSeconds;
        var metrics = outcome.Metrics;
        metrics[MetricKeys.OptimLr] = options.LearningRate;
        metrics[MetricKeys.PerfStepSeconds] = seconds;
        metrics[MetricKeys.PerfTokensPerSecond] = outcome.Tokens / Math.Max(seconds, 1e-9);
        return new StepReport(CompletedSteps, metrics, outcome.Rollouts);
    }

    /// <summary>Writes a checkpoint that <see cref="Resume"/> continues exactly (and that can serve as a base model).</summary>
    public void SaveCheckpoint(Stream destination)
    {
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        CheckpointFormat.WriteHeader(writer, new CheckpointHeader
        {
            Model = policy.Config,
            Algorithm = options.Algorithm,
            CompletedSteps = CompletedSteps,
            DataCursor = dataOrder.Cursor,
            Options = options,
            ParameterCount = policy.ParameterCount,
            HasReference = reference is not null,
        });
        policy.save(writer);
        optimizer.save_state_dict(writer);
        reference?.save(writer);
        CheckpointFormat.WriteGeneratorState(writer, sampling);
        writer.Flush();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        sampling.Dispose();
        reference?.Dispose();
        policy.Dispose();
    }

    private static Device ChooseDevice() => cuda.is_available() ? CUDA : CPU;

    private static CausalLm NewModel(ModelConfig config, long seed)
    {
        var model = new CausalLm(config);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        model.InitializeWeights(generator);
        return model;
    }

    private static CausalLm LoadBase(ModelSource.Checkpoint checkpoint)
    {
        using var stream = checkpoint.Open();
        return CheckpointFormat.ReadBase(stream).Model;
    }

    private static void Check(TrainerOptions options, IReadOnlyList<PromptExample> data, IReadOnlyList<WeightedReward> rewards)
    {
        options.Validate();
        if (data.Count == 0) throw new ArgumentException("The dataset is empty.", nameof(data));
        if (options.Algorithm == TrainingAlgorithm.Grpo && rewards.Count == 0)
            throw new ArgumentException("GRPO needs at least one reward function.", nameof(rewards));
    }
}
