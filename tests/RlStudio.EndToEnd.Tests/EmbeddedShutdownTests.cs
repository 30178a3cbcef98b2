using System.Net;
using System.Net.Http.Json;
using Npgsql;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Embedded;
using Xunit.Abstractions;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// All-in-one mode: stopping the web host stops its worker child only after the running step is checkpointed, and the
/// next start resumes the run from that checkpoint (without it, from the run's start: it had no other checkpoint).
/// </summary>
public sealed class EmbeddedShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 300;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "rlstudio-shutdown-" + Guid.NewGuid().ToString("N")[..8]);
    private PostgresCluster? _cluster;

    public async Task InitializeAsync() =>
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDir = Path.Combine(_dataDir, "db"), Fsync = false, Database = "rlstudio_shutdown" });

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task StoppingTheHost_CheckpointsTheRunningStep_AndTheNextStartResumesFromIt()
    {
        long runId;
        int stoppedAt;
        await using (var first = TestHosts.StartAllInOne(_dataDir, _cluster!.ConnectionString))
        {
            using var api = TestHosts.AdminClient(first);
            using var created = await api.PostAsJsonAsync("/api/runs", new
            {
                name = "shutdown", experiment = "faults", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" },
                settings = new { steps = Steps, batchSize = 64, maxNewTokens = 4, checkpointEvery = 1000, evalEvery = 0 }, seed = 3,
            }, PlatformFixture.Json);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            runId = (await created.Content.ReadFromJsonAsync<RunDto>(PlatformFixture.Json))!.Id;
            stoppedAt = (await TestHosts.WaitForRunAsync(api, runId, r => r.Step >= 40, TimeSpan.FromMinutes(3))).Step;
        }   // stops the host: the worker child first

        var checkpoints = await CheckpointStepsAsync(runId);
        output.WriteLine($"stopped at step ~{stoppedAt}; checkpoints after the stop: {string.Join(", ", checkpoints)}");
        var kept = Assert.Single(checkpoints);
        Assert.InRange(kept, stoppedAt, Steps - 1);

        await using (var second = TestHosts.StartAllInOne(_dataDir, _cluster!.ConnectionString))
        {
            using var api = TestHosts.AdminClient(second);
            var done = await TestHosts.WaitForRunAsync(api, runId, r => r.Status.IsTerminal(), TimeSpan.FromMinutes(4));
            Assert.True(done.Status == RunStatus.Succeeded, $"{done.Status}: {done.Error}");
            var loss = Assert.Single((await api.GetFromJsonAsync<MetricsResponse>($"/api/runs/{runId}/metrics?keys=loss/sft&maxPoints=1000", PlatformFixture.Json))!.Series);
            Assert.Equal(Enumerable.Range(1, Steps), loss.Points.Select(p => p.Step));
        }
        Assert.Equal([kept, Steps], await CheckpointStepsAsync(runId));
    }

    private async Task<List<int>> CheckpointStepsAsync(long runId)
    {
        await using var db = new NpgsqlConnection(_cluster!.ConnectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT step FROM checkpoints WHERE run_id = @run ORDER BY step", db);
        command.Parameters.AddWithValue("run", runId);
        var steps = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) steps.Add(reader.GetInt32(0));
        return steps;
    }
}
