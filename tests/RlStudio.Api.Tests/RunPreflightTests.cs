using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Models;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class RunPreflightTests(ApiFixture fixture)
{
    [Fact]
    public async Task Validate_ValidSpec_EstimatesMemoryAndJudgesEachOnlineWorkerOnItsQueue_StoringNothing()
    {
        var queue = "q_" + Guid.NewGuid().ToString("N")[..12];
        await Heartbeat("big-" + queue, queue, memory: 64L << 30);
        await Heartbeat("small-" + queue, queue, memory: 1L << 20);
        await Heartbeat("elsewhere-" + queue, "other_queue", memory: 64L << 30);
        var runsBefore = (await fixture.Client.GetFromJsonAsync<RunDto[]>("/api/runs?limit=1000"))!.Length;

        var response = await fixture.Client.PostAsJsonAsync("/api/runs/validate", new
        {
            name = "preflight", algorithm = "grpo", dataset = "addition-3digit", @base = new { preset = "small" },
            rewards = new[] { new { type = "exact_match" } }, settings = new { batchSize = 16, groupSize = 4 }, queue,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<RunValidationDto>())!;
        Assert.True(result.Valid);
        var expected = MemoryEstimator.Estimate(Algorithm.Grpo, new RunSettings { BatchSize = 16, GroupSize = 4 }, ModelShape.Small);
        Assert.Equal(expected, result.Memory);
        Assert.True(result.Memory!.ReferenceBytes > 0, "beta > 0 keeps a reference copy");
        Assert.Equal([("big-" + queue, true), ("small-" + queue, false)], result.Devices.Select(d => (d.Worker, d.Fits!.Value)));
        Assert.Equal(runsBefore, (await fixture.Client.GetFromJsonAsync<RunDto[]>("/api/runs?limit=1000"))!.Length);
    }

    [Fact]
    public async Task Validate_InvalidSpec_ReturnsTheSameErrorsAsCreate()
    {
        var request = ApiFixture.ValidRunRequest("bad", new { batchSize = 30, groupSize = 8 });
        var result = await (await fixture.Client.PostAsJsonAsync("/api/runs/validate", request)).Content.ReadFromJsonAsync<RunValidationDto>();
        Assert.False(result!.Valid);
        Assert.Null(result.Memory);
        Assert.Equal(["batchSize 30 is not divisible by groupSize 8"], result.Errors["settings.batchSize"]);
    }

    [Fact]
    public async Task Validate_BaseIsAnEarlierRunsCheckpoint_UsesThePresetAtTheRootOfTheChain()
    {
        var parent = await fixture.CreateRunAsync();
        var response = await fixture.Client.PostAsJsonAsync("/api/runs/validate", new
        {
            name = "child", algorithm = "sft", dataset = "addition-3digit", @base = new { runId = parent.Id }, settings = new { batchSize = 8 },
        });
        var result = (await response.Content.ReadFromJsonAsync<RunValidationDto>())!;
        Assert.Equal(ModelShape.Tiny.ParameterCount, result.Memory!.Parameters);
    }

    private async Task Heartbeat(string name, string queue, long memory) =>
        (await fixture.Worker(name).PostAsJsonAsync("/api/ingest/workers/heartbeat", new WorkerHeartbeat(name, "cpu ×2", null, null, [queue], memory))).EnsureSuccessStatusCode();
}
