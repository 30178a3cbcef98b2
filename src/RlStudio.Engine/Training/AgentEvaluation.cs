using RlStudio.Engine.Agents;
using RlStudio.Engine.Sampling;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Training;

/// <summary>Held-out tasks, one greedy episode each: <c>eval/env/success</c> and <c>eval/env/turns/mean</c>.</summary>
internal static class AgentEvaluation
{
    public static void Evaluate(TrainingContext context, AgentOptions agent, IReadOnlyList<EnvironmentTask> heldOut, Dictionary<string, double> metrics)
    {
        using var noGrad = no_grad();
        var greedy = new SamplingOptions { MaxNewTokens = context.Options.MaxNewTokens, Temperature = 0 };
        var episodes = EpisodeRunner.Play(heldOut, ModelPolicy.Of(context.Compute, context.Tokenizer, greedy, context.Sampling), agent.Episodes);
        metrics[MetricKeys.EvalEnvSuccess] = episodes.Average(e => e.Succeeded ? 1.0 : 0.0);
        metrics[MetricKeys.EvalEnvTurnsMean] = episodes.Average(e => (double)e.Turns.Count);
    }
}
