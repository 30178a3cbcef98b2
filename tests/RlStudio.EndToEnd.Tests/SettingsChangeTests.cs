using System.Net.Http.Json;
using Microsoft.Playwright;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// Live steering of settings, through the real worker process: the learning rate is changed from the run page while the
/// run trains; it takes effect at a step boundary (optim/lr shows it from that step; the charts mark it; the timeline lists
/// it with who asked). The training process is then killed after the change, before any checkpoint: resumed, the run
/// starts over and replays the change at the same step, and every step's metrics equal, bit for bit, those of a second
/// run given the same change scheduled for that step. Screenshots go under the test output (screenshots/).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SettingsChangeTests(PlatformFixture platform, ITestOutputHelper output)
{
    private const int Steps = 120;
    private const double ChangedRate = 3e-4;

    [Fact]
    public async Task LearningRateChangedFromThePage_TakesEffectAtAStep_AndAResumeReplaysItExactly()
    {
        var victim = await CreateAsync("e2e-steer-victim");
        var page = await platform.NewPageAsync();
        await page.GotoAsync($"{platform.BaseUrl}/runs/{victim.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await platform.WaitForRunAsync(victim.Id, r => r.Step >= 15, TimeSpan.FromMinutes(3));

        await page.GetByTestId("steer-run").ClickAsync();
        await page.GetByTestId("steer-learningRate").FillAsync("0.0003");
        await page.GetByTestId("steer-submit").ClickAsync();
        var change = await WaitForAppliedAsync(victim.Id);
        var step = change.Step!.Value;
        output.WriteLine($"the change took effect from step {step}");
        await Assertions.Expect(page.GetByTestId("run-charts")).ToHaveAttributeAsync("data-marks", "1", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid='run-event'][data-kind='settings']")).ToContainTextAsync("learningRate", new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(page, "settings-changed");

        // Its training process dies (no checkpoint yet): resumed, the run starts over and must apply the change at the same step.
        await platform.WaitForRunAsync(victim.Id, r => r.Step >= step + 5, TimeSpan.FromMinutes(3));
        Processes.Kill(pid => Processes.Trainers(victim.Id).Contains(pid));
        var failed = await platform.WaitForRunAsync(victim.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(2));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Empty(await platform.GetAsync<CheckpointDto[]>($"/api/runs/{victim.Id}/checkpoints"));
        (await platform.Api.PostAsync($"/api/runs/{victim.Id}/resume", null)).EnsureSuccessStatusCode();
        var done = await platform.WaitForRunAsync(victim.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(4));
        Assert.True(done.Status == RunStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Equal(ChangedRate, done.Settings.LearningRate);

        var reference = await CreateAsync("e2e-steer-reference");
        using var scheduled = await platform.Api.PatchAsJsonAsync($"/api/runs/{reference.Id}/settings", new { learningRate = ChangedRate, atStep = step });
        Assert.True(scheduled.IsSuccessStatusCode, await scheduled.Content.ReadAsStringAsync());
        Assert.Equal(RunStatus.Succeeded, (await platform.WaitForRunAsync(reference.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(4))).Status);

        const string keys = "loss/sft,optim/lr,optim/grad_norm";
        var expected = await platform.GetAsync<MetricsResponse>($"/api/runs/{reference.Id}/metrics?keys={keys}&maxPoints=10000");
        var actual = await platform.GetAsync<MetricsResponse>($"/api/runs/{victim.Id}/metrics?keys={keys}&maxPoints=10000");
        foreach (var series in expected.Series)
        {
            var replayed = actual.Series.Single(s => s.Key == series.Key);
            Assert.Equal(Steps, replayed.Points.Count);
            Assert.Equal(series.Points, replayed.Points);   // every step, bit for bit
        }
        var rates = actual.Series.Single(s => s.Key == "optim/lr").Points.ToDictionary(p => p.Step, p => p.Value);
        Assert.Equal((1e-3, ChangedRate), (rates[step - 1], rates[step]));
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(page, "settings-replayed");
    }

    private async Task<SettingChangeDto> WaitForAppliedAsync(long runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var changes = await platform.GetAsync<List<SettingChangeDto>>($"/api/runs/{runId}/settings/changes");
            if (changes.FirstOrDefault(c => c.AppliedAt is not null) is { } applied) return applied;
            Assert.True(DateTime.UtcNow < deadline, $"no change applied: {changes.Count} recorded");
            await Task.Delay(200);
        }
    }

    private Task<RunDto> CreateAsync(string name) => platform.CreateRunAsync(new
    {
        name, experiment = "e2e", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
        settings = new { steps = Steps, batchSize = 32, maxNewTokens = 4, temperature = 0.0, checkpointEvery = 1000, evalEvery = 0 }, seed = 9,
    });
}
