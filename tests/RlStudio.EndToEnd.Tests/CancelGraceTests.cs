using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// A run cancelled while a step never ends (here: one enormous GRPO step of the small preset, 4096 completions of up to
/// 100 tokens: minutes of sampling on 2 cores) ignores the
/// request, so its node kills the trainer after the grace period (10 s in these tests) and the run ends Cancelled saying so.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CancelGraceTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task Cancel_OfARunStuckInAStep_KillsItAfterTheGrace_AndTheStatusSaysSo()
    {
        var run = await platform.CreateRunAsync(new
        {
            name = "stuck-step", experiment = "e2e-faults", algorithm = "grpo", dataset = "addition-2digit", @base = new { preset = "small" },
            rewards = new[] { new { type = "exact_match" } },
            settings = new { steps = 2, batchSize = 4096, groupSize = 16, maxNewTokens = 100, evalEvery = 0 }, seed = 9,
        });
        await platform.WaitForRunAsync(run.Id, r => r.Status == RunStatus.Running, TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(2)); // inside the first step

        var started = DateTime.UtcNow;
        (await platform.Api.PostAsync($"/api/runs/{run.Id}/cancel", null)).EnsureSuccessStatusCode();
        var ended = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));

        output.WriteLine($"ended {ended.Status} after {(DateTime.UtcNow - started).TotalSeconds:0.0} s: {ended.Error}");
        Assert.Equal(RunStatus.Cancelled, ended.Status);
        Assert.Contains("did not stop within 10 s", ended.Error);
        Assert.Equal(0, ended.Step);
    }
}
