using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Nothing is lost when a worker dies: the run goes Lost, is queued again, and the restarted worker resumes it from
/// its newest checkpoint — with metrics bit-identical to a run that was never interrupted.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WorkerCrashTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const int Steps = 240;
    private const int CheckpointEvery = 40;

    [Fact]
    public async Task WorkerKilledMidRun_RunIsLostRequeuedAndResumesExactly()
    {
        var reference = await CreateAsync("crash-reference");
        reference = await platform.WaitForRunAsync(reference.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.Equal(RunStatus.Succeeded, reference.Status);

        var run = await CreateAsync("crash-victim");
        await platform.WaitForRunAsync(run.Id, r => r.Step >= CheckpointEvery + 10, TimeSpan.FromMinutes(3));
        var killedAt = (await platform.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step;
        Processes.KillWorker();
        output.WriteLine($"killed the worker at step ~{killedAt}");

        var lost = await platform.WaitForRunAsync(run.Id, r => r.Status == RunStatus.Lost || r.Status.IsTerminal() || r.Error is not null, TimeSpan.FromMinutes(2));
        output.WriteLine($"after the kill: {lost.Status} ({lost.Error})");
        var done = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.True(done.Status == RunStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Equal(Steps, done.Step);

        var keys = "loss/sft,reward/mean,optim/grad_norm";
        var expected = await platform.GetAsync<MetricsResponse>($"/api/runs/{reference.Id}/metrics?keys={keys}&maxPoints=10000");
        var actual = await platform.GetAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys={keys}&maxPoints=10000");
        foreach (var series in expected.Series)
        {
            var resumed = actual.Series.Single(s => s.Key == series.Key);
            Assert.Equal(Steps, resumed.Points.Count);
            Assert.Equal(series.Points, resumed.Points); // every step, bit for bit
        }
    }

    [Fact]
    public async Task TrainingProcessKilled_RunFailsWithTheExitCode_AndTheNodeTrainsTheNextRun()
    {
        var run = await CreateAsync("crash-training-process");
        await platform.WaitForRunAsync(run.Id, r => r.Step >= 10, TimeSpan.FromMinutes(3));
        Processes.Kill(pid => Processes.CommandLine(pid).Contains("RlStudio.Worker.dll train", StringComparison.Ordinal));

        var failed = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(2));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("exited with code 137", failed.Error);
        Assert.True(failed.Step >= 10, "the step reached before the crash is kept");

        var next = await CreateAsync("after-the-crash", steps: 20);
        Assert.Equal(RunStatus.Succeeded, (await platform.WaitForRunAsync(next.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(2))).Status);

        // The failed run can be resumed: it continues from its newest checkpoint to the end.
        using var resume = await platform.Api.PostAsync($"/api/runs/{run.Id}/resume", null);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var resumed = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.True(resumed.Status == RunStatus.Succeeded, $"{resumed.Status}: {resumed.Error}");
        Assert.Equal(Steps, resumed.Step);
        using var again = await platform.Api.PostAsync($"/api/runs/{run.Id}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private async Task<RunDto> CreateAsync(string name, int steps = Steps)
    {
        return await platform.CreateRunAsync(new
        {
            name, experiment = "crash", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            rewards = new[] { new { type = "exact_match", weight = 1.0 } },
            settings = new { steps, batchSize = 64, maxNewTokens = 4, temperature = 0.0, checkpointEvery = CheckpointEvery },
            seed = 21,
        });
    }
}
