using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Npgsql;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// A run on a separate worker node survives its web host being stopped for two minutes and PostgreSQL being restarted:
/// training goes on (pausing when the node's bounded spool is full), every metric point, rollout sample and checkpoint
/// arrives exactly once when they are back, and the run is never taken for lost.
/// </summary>
public sealed class OutageTests(SeparateNodePlatform platform, ITestOutputHelper output) : IClassFixture<SeparateNodePlatform>
{
    private const int Steps = 300;

    [Fact]
    public async Task WebHostStoppedForTwoMinutes_TheNodeSpoolsBoundedAndDeliversEverythingOnce()
    {
        var run = await CreateAsync("host-outage");
        await platform.WaitForRunAsync(run.Id, r => r.Step >= 20, TimeSpan.FromMinutes(3));
        await platform.StopHostAsync();
        var stoppedAt = DateTime.UtcNow;

        // While the host is away the node keeps training and writing reports into its spool, up to its bound.
        long largest = 0;
        var reportsWritten = 0;
        while (DateTime.UtcNow - stoppedAt < TimeSpan.FromMinutes(2))
        {
            var files = SpoolFiles(run.Id);
            largest = Math.Max(largest, files.Sum(f => f.Length));
            reportsWritten = Math.Max(reportsWritten, files.Count(f => f.Name.EndsWith(".metrics", StringComparison.Ordinal)));
            await Task.Delay(500);
        }
        var paused = platform.NodeLines("is full").Count;
        output.WriteLine($"host away 2 min: up to {largest} bytes / {reportsWritten} steps' metrics spooled; 'spool full' logged {paused}×");
        Assert.True(reportsWritten >= 10, "training went on while the host was away");
        Assert.True(paused > 0, "the spool filled up and training paused");
        Assert.True(largest <= SeparateNodePlatform.SpoolBytes, "the spool stayed within its bound");

        platform.StartHost();
        // The run page, opened as the host comes back, fills the gap as the node delivers what it kept, then goes on live.
        await using var browser = await Browser.OpenAsync();
        var page = await browser.SignedInPageAsync(platform.BaseUrl);
        await page.GotoAsync($"{platform.BaseUrl}/runs/{run.Id}");
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
        var chart = page.Locator("[data-metric-key='loss/sft']");
        var first = int.Parse(await chart.GetAttributeAsync("data-points", new() { Timeout = 60_000 }) ?? "0");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", Steps.ToString(), new() { Timeout = 360_000 });
        output.WriteLine($"run page: {first} points when opened, {Steps} at the end without a reload");
        Assert.True(first < Steps);

        var done = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(6));
        Assert.True(done.Status == RunStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Null(done.Error);   // never marked Lost on the way
        await AssertEverythingOnceAsync(run.Id);
        Assert.Empty(SpoolFiles(run.Id));
    }

    [Fact]
    public async Task PostgresRestartedMidRun_ApiAnswers503_NothingIsLost_AndJobsRunAfterwards()
    {
        var run = await CreateAsync("db-restart");
        await platform.WaitForRunAsync(run.Id, r => r.Step >= 20, TimeSpan.FromMinutes(3));
        await platform.StopDatabaseAsync();
        var stoppedAt = DateTime.UtcNow;

        using (var down = await platform.Api.GetAsync($"/api/runs/{run.Id}"))
        {
            var body = await down.Content.ReadAsStringAsync();
            output.WriteLine($"while down: {(int)down.StatusCode} {body}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Contains("database is unavailable", body);
        }
        // Longer than the stale-run window (10 s): the monitor must not count the outage against the node.
        await Task.Delay(TimeSpan.FromSeconds(25) - (DateTime.UtcNow - stoppedAt));
        await platform.StartDatabaseAsync();

        var done = await platform.WaitForRunAsync(run.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(6));
        Assert.True(done.Status == RunStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Null(done.Error);
        await AssertEverythingOnceAsync(run.Id);

        // Hangfire on the node recovered: a run queued after the restart is trained.
        var next = await CreateAsync("after-db-restart", steps: 20);
        var nextDone = await platform.WaitForRunAsync(next.Id, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(3));
        Assert.True(nextDone.Status == RunStatus.Succeeded, $"{nextDone.Status}: {nextDone.Error}");
    }

    /// <summary>Every step's metric once, each step's rollout samples once, and the checkpoints each once.</summary>
    private async Task AssertEverythingOnceAsync(long runId)
    {
        var metrics = (await platform.Api.GetFromJsonAsync<MetricsResponse>($"/api/runs/{runId}/metrics?keys=loss/sft&maxPoints=100000", PlatformFixture.Json))!;
        var loss = Assert.Single(metrics.Series);
        Assert.Equal(Enumerable.Range(1, Steps), loss.Points.Select(p => p.Step));

        await using var db = new NpgsqlConnection(platform.ConnectionString);
        await db.OpenAsync();
        await using var rollouts = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT step), count(DISTINCT (step, prompt, completion)), min(n), max(n) FROM " +
            "(SELECT step, prompt, completion, count(*) OVER (PARTITION BY step) AS n FROM rollout_samples WHERE run_id = @run) s", db);
        rollouts.Parameters.AddWithValue("run", runId);
        await using (var reader = await rollouts.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            var (total, steps, distinct, fewest, most) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            output.WriteLine($"rollouts: {total} in {steps} steps ({fewest}..{most} per step), {distinct} distinct");
            Assert.Equal(Steps, steps);
            Assert.Equal(fewest, most);   // no step has a sample twice
        }
        var checkpoints = (await platform.Api.GetFromJsonAsync<List<CheckpointDto>>($"/api/runs/{runId}/checkpoints", PlatformFixture.Json))!;
        output.WriteLine($"checkpoints at steps {string.Join(", ", checkpoints.Select(c => c.Step))}");
        Assert.Equal(checkpoints.Count, checkpoints.Select(c => c.Step).Distinct().Count());
        Assert.Contains(Steps, checkpoints.Select(c => c.Step));
    }

    private List<FileInfo> SpoolFiles(long runId)
    {
        var folder = new DirectoryInfo(Path.Combine(platform.SpoolDir, $"run-{runId}"));
        try
        {
            return folder.Exists ? folder.GetFiles().ToList() : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private Task<RunDto> CreateAsync(string name, int steps = Steps) =>
        platform.CreateRunAsync(new
        {
            name, experiment = "faults", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            rewards = new[] { new { type = "exact_match", weight = 1.0 } },
            settings = new { steps, batchSize = 64, maxNewTokens = 4, temperature = 0.0, checkpointEvery = 50, evalEvery = 0 },
            seed = 5,
        });
}

/// <summary>A headless Chromium signed in as the bootstrap admin (the outage tests' own, not the shared platform's).</summary>
internal sealed class Browser : IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static async Task<Browser> OpenAsync()
    {
        var browser = new Browser { _playwright = await Playwright.CreateAsync() };
        browser._browser = await PlatformFixture.LaunchChromiumAsync(browser._playwright);
        return browser;
    }

    public async Task<IPage> SignedInPageAsync(string baseUrl)
    {
        var page = await _browser!.NewPageAsync();
        await PlatformFixture.SignInAsync(page, baseUrl, PlatformFixture.AdminName, PlatformFixture.AdminPassword);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
