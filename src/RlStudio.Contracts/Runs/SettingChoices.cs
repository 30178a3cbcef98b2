using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Runs;

/// <summary>GRPO reward scaling: group std (GRPO), batch std, or none (Dr. GRPO).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AdvantageScaleSetting>))]
public enum AdvantageScaleSetting { Group, Batch, None }

/// <summary>How token losses are averaged: per sequence then over sequences (GRPO), over all tokens (DAPO), or Dr. GRPO's constant.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<LossAggregationSetting>))]
public enum LossAggregationSetting { SequenceMean, TokenMean, DrGrpo }

/// <summary>
/// Training precision: float32, or bfloat16 mixed precision (fp32 master weights and optimizer state, forward and
/// backward on a bf16 copy, losses in fp32) — meant for GPUs, also runs (slowly) on CPUs.
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<PrecisionSetting>))]
public enum PrecisionSetting { Float32, Bfloat16 }

/// <summary>Importance ratio per token (PPO, GRPO) or per sequence (GSPO).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ImportanceLevelSetting>))]
public enum ImportanceLevelSetting { Token, Sequence }

/// <summary>
/// How an agentic run credits an episode's turns: the episode's group advantage on every turn (<c>episode</c>), or GiGPO's
/// episode advantage plus a step advantage among turns of the task's group that answered the same observation (<c>gigpo</c>).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<AdvantageModeSetting>))]
public enum AdvantageModeSetting { Episode, Gigpo }

/// <summary>Whether a higher (max) or lower (min) metric value is better.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetricGoalSetting>))]
public enum MetricGoalSetting { Max, Min }
