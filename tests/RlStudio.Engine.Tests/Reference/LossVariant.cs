using RlStudio.Engine.Algorithms;

namespace RlStudio.Engine.Tests.Reference;

internal enum VariantKind
{
    Policy,
    Dpo,
    Ipo,
    BradleyTerry,
}

internal enum AdvantageKind
{
    Grpo,
    Rloo,
    ReinforcePp,
    Ppo,
}

/// <summary>One loss the parity test computes on both sides; <see cref="ToJson"/> is what the reference reads.</summary>
internal sealed record LossVariant(string Name, VariantKind Kind)
{
    public AdvantageKind Advantage { get; init; }

    public AdvantageScale Scale { get; init; } = AdvantageScale.Group;

    public PolicyLossSettings Loss { get; init; } = new();

    /// <summary>Dr. GRPO's denominator length (the trainer passes MaxNewTokens), wider than the batch's 6 columns.</summary>
    public int MaxLength { get; init; } = 8;

    /// <summary>β of the KL-shaped token rewards (REINFORCE++, PPO).</summary>
    public double KlBeta { get; init; } = 0.05;

    public double Gamma { get; init; } = 0.99;

    public double Lambda { get; init; } = 0.95;

    public bool Whiten { get; init; } = true;

    public double ValueClip { get; init; } = 0.2;

    public double ValueCoef { get; init; } = 0.5;

    /// <summary>DPO/IPO β.</summary>
    public double PreferenceBeta { get; init; } = 0.1;

    /// <summary>Bradley–Terry margin.</summary>
    public double Margin { get; init; } = 0.5;

    /// <summary>PPO's value head and the reward model's score head train with the body.</summary>
    public bool UsesHead => Kind == VariantKind.BradleyTerry || (Kind == VariantKind.Policy && Advantage == AdvantageKind.Ppo);

    /// <summary>REINFORCE++ and (whitened) PPO standardise their token advantages over the batch.</summary>
    public bool WhitensAdvantages => Kind == VariantKind.Policy
        && (Advantage == AdvantageKind.ReinforcePp || (Advantage == AdvantageKind.Ppo && Whiten));

    /// <summary>Every algorithm with its aggregations, advantage scales, clip-higher, GSPO, PPO's value clip and GAE.</summary>
    public static IReadOnlyList<LossVariant> All { get; } =
    [
        Policy("grpo_sequence_mean", AdvantageKind.Grpo, new() { Aggregation = LossAggregation.SequenceMean }),
        Policy("grpo_token_mean", AdvantageKind.Grpo, new() { Aggregation = LossAggregation.TokenMean }),
        Policy("grpo_dr_grpo", AdvantageKind.Grpo, new() { Aggregation = LossAggregation.DrGrpo }) with { Scale = AdvantageScale.None },
        Policy("grpo_batch_scale", AdvantageKind.Grpo, new()) with { Scale = AdvantageScale.Batch },
        Policy("grpo_clip_higher", AdvantageKind.Grpo, new() { EpsilonHigh = 0.28, Beta = 0, Aggregation = LossAggregation.TokenMean }),
        Policy("gspo", AdvantageKind.Grpo, new() { Level = RatioLevel.Sequence, EpsilonLow = 0.04, EpsilonHigh = 0.05 }),
        Policy("rloo", AdvantageKind.Rloo, new() { Aggregation = LossAggregation.TokenMean }),
        Policy("reinforce_pp", AdvantageKind.ReinforcePp, new() { Beta = 0, Aggregation = LossAggregation.TokenMean }),
        Policy("ppo", AdvantageKind.Ppo, new() { Beta = 0, Aggregation = LossAggregation.TokenMean }),
        new("dpo", VariantKind.Dpo),
        new("ipo", VariantKind.Ipo),
        new("bradley_terry", VariantKind.BradleyTerry),
    ];

    private static LossVariant Policy(string name, AdvantageKind advantage, PolicyLossSettings loss) =>
        new(name, VariantKind.Policy) { Advantage = advantage, Loss = loss };

    public Dictionary<string, object> ToJson() => Kind switch
    {
        VariantKind.Policy => new()
        {
            ["name"] = Name, ["kind"] = "policy",
            ["advantage"] = Advantage switch
            {
                AdvantageKind.Grpo => "grpo", AdvantageKind.Rloo => "rloo", AdvantageKind.ReinforcePp => "reinforce_pp",
                AdvantageKind.Ppo => "ppo", _ => throw new ArgumentOutOfRangeException(nameof(Advantage)),
            },
            ["scale"] = Scale switch
            {
                AdvantageScale.Group => "group", AdvantageScale.Batch => "batch", AdvantageScale.None => "none",
                _ => throw new ArgumentOutOfRangeException(nameof(Scale)),
            },
            ["aggregation"] = Loss.Aggregation switch
            {
                LossAggregation.SequenceMean => "sequence_mean", LossAggregation.TokenMean => "token_mean",
                LossAggregation.DrGrpo => "dr_grpo", _ => throw new ArgumentOutOfRangeException(nameof(Loss)),
            },
            ["level"] = Loss.Level switch
            {
                RatioLevel.Token => "token", RatioLevel.Sequence => "sequence", _ => throw new ArgumentOutOfRangeException(nameof(Loss)),
            },
            ["eps_low"] = Loss.EpsilonLow, ["eps_high"] = Loss.EpsilonHigh, ["beta"] = Loss.Beta, ["max_length"] = MaxLength,
            ["kl_beta"] = KlBeta, ["gamma"] = Gamma, ["lambda"] = Lambda, ["whiten"] = Whiten,
            ["value_clip"] = ValueClip, ["value_coef"] = ValueCoef,
        },
        VariantKind.Dpo => new() { ["name"] = Name, ["kind"] = "dpo", ["beta"] = PreferenceBeta },
        VariantKind.Ipo => new() { ["name"] = Name, ["kind"] = "ipo", ["beta"] = PreferenceBeta },
        VariantKind.BradleyTerry => new() { ["name"] = Name, ["kind"] = "bradley_terry", ["margin"] = Margin },
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };
}
