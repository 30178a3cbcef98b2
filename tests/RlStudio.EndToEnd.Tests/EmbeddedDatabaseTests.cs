using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The all-in-one default (its own PostgreSQL, its own worker): the database crashing mid-run (immediate shutdown, as a
/// crash or an OOM kill would) is started again by the host; the API answers 503 meanwhile, and the run goes on to the
/// end with every step's metrics, never taken for lost.
/// </summary>
public sealed class EmbeddedDatabaseTests(ITestOutputHelper output) : IDisposable
{
    private const int Steps = 300;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "rlstudio-embedded-db-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task EmbeddedPostgresCrashesMidRun_IsStartedAgain_AndTheRunFinishesWhole()
    {
        await using var host = TestHosts.StartAllInOne(_dataDir, connectionString: null);   // its own PostgreSQL under _dataDir
        using var api = TestHosts.AdminClient(host);

        using var created = await api.PostAsJsonAsync("/api/runs", new
        {
            name = "db-crash", experiment = "faults", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
            settings = new { steps = Steps, batchSize = 64, maxNewTokens = 4, checkpointEvery = 50, evalEvery = 0 }, seed = 4,
        }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var runId = (await created.Content.ReadFromJsonAsync<RunDto>(PlatformFixture.Json))!.Id;
        await TestHosts.WaitForRunAsync(api, runId, r => r.Step >= 20, TimeSpan.FromMinutes(3));

        var postmaster = int.Parse(File.ReadLines(Path.Combine(_dataDir, "pgdata", "postmaster.pid")).First());
        using (var kill = Process.Start("kill", ["-QUIT", postmaster.ToString()])) await kill.WaitForExitAsync();   // immediate shutdown: no checkpoint
        var unavailable = 0;
        for (var i = 0; i < 50 && unavailable == 0; i++)
        {
            using var response = await api.GetAsync($"/api/runs/{runId}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) unavailable++;
            else await Task.Delay(50);
        }
        output.WriteLine($"503 seen: {unavailable > 0}");
        Assert.True(unavailable > 0, "the API answered 503 while the database was down");

        var done = await TestHosts.WaitForRunAsync(api, runId, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(4));
        Assert.True(done.Status == RunStatus.Succeeded, $"{done.Status}: {done.Error}");
        Assert.Null(done.Error);
        var loss = Assert.Single((await api.GetFromJsonAsync<MetricsResponse>($"/api/runs/{runId}/metrics?keys=loss/sft&maxPoints=1000", PlatformFixture.Json))!.Series);
        Assert.Equal(Enumerable.Range(1, Steps), loss.Points.Select(p => p.Step));
    }
}
