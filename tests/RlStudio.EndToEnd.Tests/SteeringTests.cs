using System.Net.Http.Json;
using Microsoft.Playwright;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Pause and continue from the run page, through the real worker process: Pause stops the run at a step boundary with a
/// checkpoint (status Paused, the trainer's process gone); Continue queues it again and it finishes from that checkpoint,
/// every step reported once. Screenshots of the paused and finished page go under the test output (screenshots/).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SteeringTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const int Steps = 60;

    [Fact]
    public async Task RunPausedAndContinuedFromItsPage_FinishesFromThePauseCheckpoint()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "e2e-steer", experiment = "e2e", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = Steps, batchSize = 8, maxNewTokens = 4, checkpointEvery = 1000, evalEvery = 0 }, seed = 5,
        });
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Running", new() { Timeout = 180_000 });

        await page.GetByTestId("pause-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Paused", new() { Timeout = 60_000 });
        var paused = await platform.GetAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.InRange(paused.Step, 1, Steps - 1);
        Assert.Contains(await platform.GetAsync<CheckpointDto[]>($"/api/runs/{run.Id}/checkpoints"), c => c.Step == paused.Step);
        await Screenshots.SaveAsync(page, "steering-paused");
        await Task.Delay(1500);
        Assert.Equal(paused.Step, (await platform.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step);   // nothing trains it meanwhile

        await page.GetByTestId("continue-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        var done = await platform.GetAsync<RunDto>($"/api/runs/{run.Id}");
        Assert.Equal(Steps, done.Step);
        var loss = (await platform.GetAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=loss/sft")).Series.Single();
        Assert.Equal(Enumerable.Range(1, Steps), loss.Points.Select(p => p.Step));
        Assert.Equal([paused.Step, Steps], (await platform.GetAsync<CheckpointDto[]>($"/api/runs/{run.Id}/checkpoints")).Select(c => c.Step).Order());
        await Screenshots.SaveAsync(page, "steering-continued");
        output.WriteLine($"paused at step {paused.Step}, finished at {done.Step}");
    }

    [Fact]
    public async Task RunPausedWithItsDeviceKept_GoesOnInPlaceWhenContinued()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "e2e-steer-kept", experiment = "e2e", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = Steps, batchSize = 8, maxNewTokens = 4, checkpointEvery = 1000, evalEvery = 0, keepDeviceWhilePaused = true }, seed = 5,
        });
        await platform.WaitForRunAsync(run.Id, r => r.Status == RunStatus.Running && r.Step >= 3, TimeSpan.FromMinutes(3));
        var trainer = Assert.Single(Processes.Trainers(run.Id));

        (await platform.Api.PostAsync($"/api/runs/{run.Id}/pause", null)).EnsureSuccessStatusCode();
        var paused = await platform.WaitForRunAsync(run.Id, r => r.Status == RunStatus.Paused, TimeSpan.FromMinutes(1));
        await Task.Delay(1500);
        Assert.Equal([trainer], Processes.Trainers(run.Id));   // the trainer, its model and device kept
        Assert.Equal(paused.Step, (await platform.GetAsync<RunDto>($"/api/runs/{run.Id}")).Step);

        // A change made while paused applies from the first step after the pause.
        (await platform.Api.PatchAsJsonAsync($"/api/runs/{run.Id}/settings", new { learningRate = 5e-4 })).EnsureSuccessStatusCode();
        (await platform.Api.PostAsync($"/api/runs/{run.Id}/continue", null)).EnsureSuccessStatusCode();
        Assert.Equal(RunStatus.Running, (await platform.GetAsync<RunDto>($"/api/runs/{run.Id}")).Status);   // in place: not queued again
        var done = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.Equal((RunStatus.Succeeded, Steps), (done.Status, done.Step));
        var loss = (await platform.GetAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=loss/sft")).Series.Single();
        Assert.Equal(Enumerable.Range(1, Steps), loss.Points.Select(p => p.Step));
        var change = Assert.Single(await platform.GetAsync<List<SettingChangeDto>>($"/api/runs/{run.Id}/settings/changes"));
        Assert.Equal((paused.Step + 1, false), (change.Step, change.AppliedAt is null));
        var rates = (await platform.GetAsync<MetricsResponse>($"/api/runs/{run.Id}/metrics?keys=optim/lr&maxPoints=1000")).Series.Single().Points
            .ToDictionary(p => p.Step, p => p.Value);
        Assert.Equal(5e-4, rates[paused.Step + 1]);
        output.WriteLine($"paused at step {paused.Step} with the device kept, went on in process {trainer}");
    }
}
