using RlStudio.Engine.Model;
using RlStudio.Engine.Sampling;
using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Agents;

/// <summary>A model as the policy of <see cref="EpisodeRunner.Play"/>: one batched generation per turn across the going episodes.</summary>
public static class ModelPolicy
{
    /// <summary>
    /// Completes each conversation, laid out as training will see it (<see cref="TrajectoryLayout"/>), with at most
    /// <paramref name="turn"/>'s <c>MaxNewTokens</c> tokens (the turn ends at EOS). A conversation whose layout leaves no room
    /// for a whole turn in the model's context gets null: its episode ends there.
    /// </summary>
    public static Func<IReadOnlyList<IReadOnlyList<ConversationMessage>>, IReadOnlyList<AgentTurn?>> Of(CausalLm model, ITokenizer tokenizer,
        SamplingOptions turn, Generator? generator) => conversations =>
    {
        var prompts = conversations.Select(c => TrajectoryLayout.Lay(tokenizer, c).Tokens).ToArray();
        var fits = prompts.Select(p => p.Length + turn.MaxNewTokens <= model.Config.MaxSeq).ToArray();
        var answers = new AgentTurn?[prompts.Length];
        var playable = Enumerable.Range(0, prompts.Length).Where(i => fits[i]).ToArray();
        if (playable.Length == 0) return answers;
        using var generated = Sampler.Generate(model, playable.Select(i => prompts[i]).ToArray(), turn, generator, tokenizer);
        for (var k = 0; k < playable.Length; k++)
            answers[playable[k]] = new AgentTurn(generated.CompletionTexts[k], generated.CompletionTokens[k].Select(t => (int)t).ToArray());
        return answers;
    };
}
