using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;

namespace RlStudio.Api.Tests;

/// <summary>
/// Agentic runs through the API: task datasets (JSONL of environment tasks, each line checked against its environment),
/// runs on them (no reward functions; the agent settings, validated against the dataset's kind), and episodes stored
/// with their turns.
/// </summary>
[Collection("api")]
public sealed class AgenticRunsApiTests(ApiFixture fixture)
{
    private const string Tasks = """
        {"env": "number_guess", "task": "Find the number.", "seed": 1, "parameters": {"max": 8}}
        {"env": "calculator", "task": "Compute it.", "seed": 2, "parameters": {"digits": 2}, "source": "hand"}
        {"env": "number_guess", "task": "Find it.", "seed": 5, "parameters": {"max": 2}, "demonstration": ["guess 1"]}
        """;

    [Fact]
    public async Task Upload_TaskJsonl_IsDetectedAsTasks_ServedWithItsSpec_AndDownloadsBackToTheSameItems()
    {
        var name = ApiFixture.UniqueName("tasks");
        var response = await fixture.UploadDatasetAsync(name, Tasks);
        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
        var dataset = (await response.Content.ReadFromJsonAsync<DatasetDto>())!;
        Assert.Equal(DatasetKind.Tasks, dataset.Kind);

        var items = await fixture.VersionItemsAsync(dataset.VersionId);
        Assert.Equal(["Find the number.", "Compute it.", "Find it."], items.Select(i => i.Prompt));
        var spec = JsonDocument.Parse(items[1].Metadata!).RootElement;
        Assert.Equal(("calculator", 2, 2, "hand"), (spec.GetProperty("env").GetString(), spec.GetProperty("seed").GetInt32(),
            spec.GetProperty("parameters").GetProperty("digits").GetInt32(), spec.GetProperty("source").GetString()));

        var jsonl = await fixture.Client.GetStringAsync($"/api/datasets/{name}/content");
        Assert.StartsWith("""{"task":"Find the number.",""", jsonl);
        var copy = ApiFixture.UniqueName("tasks-again");
        var again = (await (await fixture.UploadDatasetAsync(copy, jsonl)).Content.ReadFromJsonAsync<DatasetDto>())!;
        Assert.Equal(DatasetKind.Tasks, again.Kind);
        Assert.Equal(items.Select(i => (i.Prompt, JsonDocument.Parse(i.Metadata!).RootElement.GetProperty("seed").GetInt32())),
            (await fixture.VersionItemsAsync(again.VersionId)).Select(i => (i.Prompt, JsonDocument.Parse(i.Metadata!).RootElement.GetProperty("seed").GetInt32())));
    }

    [Theory]
    [InlineData("{\"env\": \"chess\", \"task\": \"Win.\"}", "line 1", "unknown environment 'chess'")]
    [InlineData("{\"env\": \"number_guess\", \"task\": \"Guess.\", \"parameters\": {\"max\": 1}}", "line 1", "parameters.max")]
    [InlineData("{\"env\": \"number_guess\", \"task\": \"Guess.\", \"seed\": \"x\"}", "line 1", "\"seed\" must be an integer")]
    [InlineData("{\"env\": \"number_guess\"}", "line 1", "\"task\" is missing")]
    [InlineData("{\"env\": \"number_guess\", \"task\": \"Guess.\", \"parameters\": [1]}", "line 1", "\"parameters\" must be an object")]
    [InlineData("{\"env\": \"number_guess\", \"task\": \"Guess.\", \"demonstration\": \"guess 1\"}", "line 1", "\"demonstration\" must be an array of strings")]
    [InlineData("{\"env\": \"number_guess\", \"task\": \"Guess.\", \"parameters\": {\"max\": 2}, \"demonstration\": [\"guess 1\", \"guess 2\", \"guess 1\"]}", "line 1", "goes on after the episode has ended")]
    [InlineData("{\"env\": \"number_guess\", \"task\": \"Guess.\"}\n{\"prompt\": \"a\", \"reference\": \"b\"}", "line 2", "\"env\" is missing")]
    [InlineData("{\"prompt\": \"a\", \"reference\": \"b\"}\n{\"env\": \"number_guess\", \"prompt\": \"a\", \"reference\": \"b\"}", "line 2", "not a task dataset")]
    public async Task Upload_BadTaskLine_Returns400NamingLineAndStoresNothing(string content, string line, string problem)
        => await fixture.AssertUploadRefusedAsync(content, line, problem);

    [Fact]
    public async Task CreateRun_OnTasks_TakesAgentSettingsAndNoRewards()
    {
        var dataset = await TaskDatasetAsync();
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", Request(dataset, "gigpo-run", new
        {
            steps = 5, batchSize = 8, groupSize = 4, maxTurns = 4, maxTokensPerTurn = 10, invalidActionPenalty = 0.2, stepRewardWeight = 0.3,
            advantageMode = "gigpo", stepAdvantageWeight = 0.5,
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<RunDto>())!;
        Assert.Empty(run.Rewards);
        Assert.Equal((4, 10, 0.2, 0.3, AdvantageModeSetting.Gigpo, 0.5), (run.Settings.MaxTurns, run.Settings.MaxTokensPerTurn, run.Settings.InvalidActionPenalty,
            run.Settings.StepRewardWeight, run.Settings.AdvantageMode, run.Settings.StepAdvantageWeight));
    }

    [Theory]
    [InlineData("ppo", "{\"advantageMode\": \"gigpo\"}", "[]", "settings.advantageMode", "works with grpo or rloo")]
    [InlineData("grpo", "{\"miniBatches\": 2}", "[]", "settings.miniBatches", "whole batch of episodes")]
    [InlineData("grpo", "{\"maxNewTokens\": 12}", "[]", "settings.maxNewTokens", "maxTokensPerTurn")]
    [InlineData("grpo", "{\"maxTurns\": 0}", "[]", "settings.maxTurns", "out of range")]
    [InlineData("grpo", "{\"advantageMode\": \"steps\"}", "[]", "settings.advantageMode", "episode, gigpo")]
    [InlineData("grpo", "{}", "[{\"type\": \"exact_match\"}]", "rewards", "rewarded by its environment")]
    [InlineData("dpo", "{}", "[]", "dataset", "trains on preferences")]
    public async Task CreateRun_OnTasks_BadRequest_NamesTheFieldAndStoresNothing(string algorithm, string settings, string rewards, string field, string message)
    {
        var dataset = await TaskDatasetAsync();
        var name = ApiFixture.UniqueName("bad-agent");
        var request = JsonSerializer.SerializeToNode(Request(dataset, name, new { }))!.AsObject();
        request["algorithm"] = algorithm;
        request["settings"] = System.Text.Json.Nodes.JsonNode.Parse(settings);
        request["rewards"] = System.Text.Json.Nodes.JsonNode.Parse(rewards);

        var response = await fixture.Client.PostAsJsonAsync("/api/runs", request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"no error for {field}: {errors}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        Assert.False(await fixture.WithDbAsync(db => db.Runs.AnyAsync(r => r.Name == name)));
    }

    [Fact]
    public async Task CreateRun_AgentSettingOnAPromptDataset_IsRefused()
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/runs", ApiFixture.ValidRunRequest(ApiFixture.UniqueName("not-agent"), new { maxTurns = 3 }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("applies to agentic runs only", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rollouts_WithTurns_AreStoredAndServedWithThem()
    {
        var run = await fixture.CreateRunAsync();
        var turns = new[] { new EpisodeTurnDto("Number 1 to 8.", "guess 4", 1, true, 0.1), new EpisodeTurnDto("Higher: 5 to 8.", "guess x\0", 0, false, 0.9) };
        var episode = new RolloutDto(3, 0, "Number 1 to 8.", "> guess 4\nHigher: 5 to 8.\n> guess x\nCorrect!", "Find it.", 1.0,
            new Dictionary<string, double?> { ["env/success"] = 1 }, 0.5, 6, Turns: turns);
        var plain = new RolloutDto(3, 1, "2+2=", "4", "4", 1, new Dictionary<string, double?>(), 0, 1);
        (await fixture.Ingest(run.Id).PostAsJsonAsync($"/api/ingest/runs/{run.Id}/rollouts", new RolloutBatch([episode, plain]))).EnsureSuccessStatusCode();

        var stored = (await fixture.Client.GetFromJsonAsync<List<RolloutDto>>($"/api/runs/{run.Id}/rollouts?step=3"))!.OrderBy(r => r.Group).ToList();
        Assert.Equal(2, stored[0].Turns!.Count);
        Assert.Equal(("guess 4", 1.0, true, 0.1), (stored[0].Turns![0].Action, stored[0].Turns![0].StepReward, stored[0].Turns![0].ValidAction, stored[0].Turns![0].Reward));
        Assert.Equal("guess x\u2400", stored[0].Turns![1].Action);        // NUL made storable, as in other texts
        Assert.Null(stored[1].Turns);
    }

    private async Task<string> TaskDatasetAsync()
    {
        var name = ApiFixture.UniqueName("tasks");
        (await fixture.UploadDatasetAsync(name, Tasks)).EnsureSuccessStatusCode();
        return name;
    }

    private static object Request(string dataset, string name, object settings) => new
    {
        name,
        experiment = "tests",
        algorithm = "grpo",
        dataset,
        @base = new { preset = "tiny" },
        rewards = Array.Empty<object>(),
        settings,
    };
}
