using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RlStudio.Engine.Model;

namespace RlStudio.Engine;

/// <summary>
/// <see cref="TrainerOptions"/> from JSON in RL Studio's run-settings vocabulary: camelCase keys named after the options
/// (<c>learningRate</c>, <c>lossAggregation</c>), enums in snake_case (<c>"grpo"</c>, <c>"token_mean"</c>,
/// <c>"bfloat16"</c>), and LoRA as <c>loraRank</c> (0 = off), <c>loraAlpha</c>, <c>loraTargets</c>. Keys the trainer does
/// not use (checkpointing, retention) are ignored; absent ones keep the options' defaults.
/// </summary>
public static class TrainerOptionsJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The options of <paramref name="algorithm"/> (snake_case, e.g. <c>"reinforce_pp"</c>) with <paramref name="settings"/>.</summary>
    public static TrainerOptions Read(string algorithm, JsonObject settings)
    {
        var options = (settings.Deserialize<TrainerOptions>(Json) ?? throw new JsonException("Trainer options are null.")) with
        {
            Algorithm = JsonSerializer.Deserialize<TrainingAlgorithm>(JsonSerializer.Serialize(algorithm), Json),
        };
        var rank = settings["loraRank"]?.GetValue<int>() ?? 0;
        if (rank == 0) return options;
        var lora = new LoraOptions { Rank = rank };
        return options with
        {
            Lora = lora with
            {
                Alpha = settings["loraAlpha"]?.GetValue<double>() ?? lora.Alpha,
                TargetModules = settings["loraTargets"]?.Deserialize<string[]>(Json) ?? lora.TargetModules,
            },
        };
    }
}
