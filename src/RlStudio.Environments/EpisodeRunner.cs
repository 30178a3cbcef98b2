namespace RlStudio.Environments;

/// <summary>
/// One message of an episode's conversation: the environment's observation, or the agent's turn — with the token ids the
/// model sampled for it when a model wrote it (EOS included when sampled), so training sees exactly those tokens.
/// </summary>
public sealed record ConversationMessage(bool FromAgent, string Text, int[]? Tokens = null);

/// <summary>A policy's turn: its text and, from a model, the sampled token ids (EOS included when sampled).</summary>
public sealed record AgentTurn(string Text, int[]? Tokens = null);

/// <summary>
/// Plays one episode per task, all at once: at each turn the policy is asked for the next turn of every episode still
/// going, in one batch (so sampling is batched across environments, not G× slower than single-turn), each environment
/// takes its turn, and episodes that are done (or out of turns) drop out. The policy sees each episode's conversation so
/// far and answers each with one turn (its own length limit applies there), or null when that episode cannot go on (its
/// context is full): the episode then ends there, unfinished, counted in the <c>truncated</c> info.
/// </summary>
public static class EpisodeRunner
{
    /// <summary>The task reward of a successful episode (0 otherwise).</summary>
    public const double SuccessReward = 1.0;

    public static IReadOnlyList<Episode> Play(IReadOnlyList<EnvironmentTask> tasks,
        Func<IReadOnlyList<IReadOnlyList<ConversationMessage>>, IReadOnlyList<AgentTurn?>> policy, EpisodeSettings settings)
    {
        if (settings.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(settings));
        var live = tasks.Select(task =>
        {
            var environment = EnvironmentCatalog.Get(task.Env).Create();
            var first = environment.Reset(task);
            return new LiveEpisode(task, environment, [new ConversationMessage(false, first)]);
        }).ToList();

        for (var turn = 0; turn < settings.MaxTurns; turn++)
        {
            var going = live.Where(e => !e.Done).ToList();
            if (going.Count == 0) break;
            var answers = policy(going.Select(e => (IReadOnlyList<ConversationMessage>)e.Conversation).ToList());
            if (answers.Count != going.Count) throw new InvalidOperationException($"The policy answered {answers.Count} turns for {going.Count} episodes.");
            for (var i = 0; i < going.Count; i++)
            {
                var episode = going[i];
                if (answers[i] is not { } answer)
                {
                    episode.Info["truncated"] = 1;
                    episode.Done = true;
                    continue;
                }
                var observation = episode.Conversation[^1].Text;
                var step = episode.Environment.Step(answer.Text);
                var reward = settings.StepRewardWeight * step.StepReward - (step.ValidAction ? 0 : settings.InvalidActionPenalty);
                episode.Turns.Add(new EpisodeTurn(observation, answer.Text, step.StepReward, step.ValidAction, reward));
                episode.Conversation.Add(new ConversationMessage(true, answer.Text, answer.Tokens));
                episode.Conversation.Add(new ConversationMessage(false, step.Observation));
                foreach (var (key, value) in step.Info ?? new Dictionary<string, double>())
                    episode.Info[key] = episode.Info.GetValueOrDefault(key) + value;
                episode.Done = step.Done;
            }
        }
        return live.Select(Finish).ToList();
    }

    private static Episode Finish(LiveEpisode episode)
    {
        var succeeded = episode.Environment.Succeeded;
        var taskReward = succeeded ? SuccessReward : 0;
        var turns = episode.Turns.ToList();
        if (turns.Count > 0) turns[^1] = turns[^1] with { Reward = turns[^1].Reward + taskReward };
        return new Episode(episode.Task, turns, succeeded, taskReward, episode.Info, episode.Conversation);
    }

    private sealed class LiveEpisode(EnvironmentTask task, IEnvironment environment, List<ConversationMessage> conversation)
    {
        public EnvironmentTask Task { get; } = task;
        public IEnvironment Environment { get; } = environment;
        public List<ConversationMessage> Conversation { get; } = conversation;
        public List<EpisodeTurn> Turns { get; } = [];
        public Dictionary<string, double> Info { get; } = [];
        public bool Done { get; set; }
    }
}
