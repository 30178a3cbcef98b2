using RlStudio.Engine.Agents;
using RlStudio.Engine.Algorithms;
using static TorchSharp.torch;
using RlStudio.Environments;

namespace RlStudio.Engine.Tests.Agents;

/// <summary>Episodes played in batches with a scripted policy, their rewards, and their advantages (GRPO over episodes, GiGPO).</summary>
public sealed class EpisodeTests
{
    [Fact]
    public void Play_AsksForEveryGoingEpisodeInOneBatchPerTurn_AndScoresTurns()
    {
        var tasks = Enumerable.Range(0, 3).Select(seed => new EnvironmentTask(CalculatorEnvironment.Name, "Compute.", seed)).ToList();
        var batches = new List<int>();
        var episodes = EpisodeRunner.Play(tasks, conversations =>
        {
            batches.Add(conversations.Count);
            return conversations.Select(c => (AgentTurn?)new AgentTurn(Script(c))).ToList();
        }, new EpisodeSettings(MaxTurns: 4, InvalidActionPenalty: 0.5, StepRewardWeight: 0.2));

        // Turn 1: all three; then only the first (an invalid turn does not end an episode; an answer does).
        Assert.Equal([3, 1, 1], batches);
        var first = episodes[0];
        Assert.Equal([false, true, true], first.Turns.Select(t => t.ValidAction));
        Assert.Equal(-0.5, first.Turns[0].Reward, 9);                  // invalid: penalised
        Assert.Equal(0.2 * 1, first.Turns[1].Reward, 9);               // a useful calculator call
        Assert.Equal(1.0, first.Turns[2].Reward, 9);                   // the task reward on the last turn
        Assert.True(first.Succeeded);
        Assert.Equal(0.7, first.Return, 9);
        Assert.Equal(1, first.InvalidActions);
        Assert.Equal(1, first.Info["calc_calls"]);
        Assert.False(episodes[2].Succeeded);                           // answered wrong
        Assert.Equal(0.0, episodes[2].TaskReward);

        // Task 0 plays a bad turn, then calc, then the answer; task 1 answers at once; task 2 answers wrong at once.
        static string Script(IReadOnlyList<ConversationMessage> conversation)
        {
            var question = conversation[0].Text;
            var numbers = System.Text.RegularExpressions.Regex.Matches(question, @"\d+").Select(m => long.Parse(m.Value)).ToArray();
            var (a, b, c) = (numbers[^3], numbers[^2], numbers[^1]);
            var turn = conversation.Count / 2;   // 1 message before the first turn, 3 before the second, …
            if (question == Question(0)) return turn switch { 0 => "let me think", 1 => $"calc({a}*{b}+{c})", _ => $"answer {a * b + c}" };
            return question == Question(1) ? $"answer {a * b + c}" : $"answer {a * b + c + 1}";
        }

        static string Question(int seed)
        {
            var environment = new CalculatorEnvironment();
            return environment.Reset(new EnvironmentTask(CalculatorEnvironment.Name, "Compute.", seed));
        }
    }

    [Fact]
    public void Play_StopsAtTheTurnLimit_WithoutSuccess()
    {
        var task = new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", 11);
        var episode = Assert.Single(EpisodeRunner.Play([task], c => c.Select(_ => (AgentTurn?)new AgentTurn("guess 0")).ToList(), new EpisodeSettings(MaxTurns: 3)));
        Assert.Equal(3, episode.Turns.Count);
        Assert.False(episode.Succeeded);
        Assert.All(episode.Turns, t => Assert.False(t.ValidAction));   // 0 is not a number to guess
    }

    /// <summary>Worked by hand: two episodes of one task, both starting at S0.</summary>
    [Fact]
    public void GiGpo_AddsStepGroupAdvantagesOfTurnsThatAnsweredTheSameObservation()
    {
        var task = new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", 1);
        // Episode 1: S0 → S1 → success (rewards 0, 1). Episode 2: S0 → S2 → S1 → failure (rewards 0, 0, 0).
        var success = new Episode(task, [Turn("S0", 0), Turn("S1", 1)], true, 1, new Dictionary<string, double>(), []);
        var failure = new Episode(task, [Turn("S0", 0), Turn("S2", 0), Turn("S1", 0)], false, 0, new Dictionary<string, double>(), []);

        var advantages = EpisodeAdvantages.Compute([success, failure], groupSize: 2, EpisodeAdvantageMode.Gigpo, stepWeight: 1.0, discount: 0.95);

        // Episode: ±0.5 / (√0.5 + 1e-4) = ±0.707007; S0 returns 0.95 vs 0 → ±0.707002; S1 returns 1 vs 0 → ±0.707007; S2 alone → 0.
        Assert.Equal(1.4140083290, advantages[0][0], 9);
        Assert.Equal(1.4140135907, advantages[0][1], 9);
        Assert.Equal(-1.4140083290, advantages[1][0], 9);
        Assert.Equal(-0.7070067953, advantages[1][1], 9);
        Assert.Equal(-1.4140135907, advantages[1][2], 9);

        var episodeOnly = EpisodeAdvantages.Compute([success, failure], groupSize: 2, EpisodeAdvantageMode.Episode);
        Assert.Equal([0.7070067953, 0.7070067953], episodeOnly[0].Select(a => Math.Round(a, 10)));
        Assert.Equal([-0.7070067953, -0.7070067953, -0.7070067953], episodeOnly[1].Select(a => Math.Round(a, 10)));

        static EpisodeTurn Turn(string observation, double reward) => new(observation, "guess 1", 0, true, reward);
    }

    [Fact]
    public void EpisodeMode_IsGrpoOverEpisodeReturns()
    {
        var task = new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", 1);
        var returns = new[] { 1.0, 0.2, -0.1, 1.0, 0.0, 0.0 };
        var episodes = returns.Select(r => new Episode(task, [new EpisodeTurn("S", "a", 0, true, r)], r > 0.5, 0, new Dictionary<string, double>(), [])).ToList();
        var advantages = EpisodeAdvantages.Compute(episodes, groupSize: 3, EpisodeAdvantageMode.Episode);
        using var expected = GroupAdvantages.Grpo(tensor(returns, ScalarType.Float64), 3, AdvantageScale.Group).Advantages;
        Assert.Equal(expected.data<double>().ToArray(), advantages.Select(a => a[0]));
    }

    /// <summary>RLOO on episodes: the return minus the mean of the group's other returns, the same for every turn.</summary>
    [Fact]
    public void LeaveOneOut_IsRlooOverEpisodeReturns()
    {
        var task = new EnvironmentTask(NumberGuessEnvironment.Name, "Guess.", 1);
        var episodes = new[] { 1.0, 0.4, -0.2 }.Select(r => new Episode(task, [new EpisodeTurn("S", "a", 0, true, 0), new EpisodeTurn("T", "b", 0, true, r)],
            r > 0.5, 0, new Dictionary<string, double>(), [])).ToList();
        var advantages = EpisodeAdvantages.Compute(episodes, groupSize: 3, EpisodeAdvantageMode.Episode, leaveOneOut: true);
        Assert.Equal([0.9, 0.9], advantages[0].Select(a => Math.Round(a, 10)));      // 1 − (0.4 − 0.2) / 2
        Assert.Equal([0.0, 0.0], advantages[1].Select(a => Math.Round(a, 10)));      // 0.4 − (1 − 0.2) / 2
        Assert.Equal([-0.9, -0.9], advantages[2].Select(a => Math.Round(a, 10)));    // −0.2 − (1 + 0.4) / 2
    }
}
