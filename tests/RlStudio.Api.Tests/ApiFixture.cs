using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Data;
using RlStudio.Data.Embedded;

namespace RlStudio.Api.Tests;

/// <summary>
/// One throwaway PostgreSQL cluster (fsync off, free port, temp folder) and one web host pointed at it, shared by
/// every test in the <c>api</c> collection. Tests use unique names so they do not see each other's rows.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"rlstudio-api-tests-{Guid.NewGuid():N}");
    private PostgresCluster? _cluster;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDir = _dataDir, Fsync = false, Database = "rlstudio_test" });
        var connectionString = _cluster.ConnectionString;
        try
        {
            Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            {
                web.UseSetting("ConnectionStrings:RlStudio", connectionString);
                web.UseSetting("RlStudio:EmbeddedWorker:Enabled", "false");
                web.UseSetting("Logging:LogLevel:Default", "Warning");
            });
            Client = Factory.CreateClient();
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization threw: stop the cluster here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    /// <summary>Runs <paramref name="work"/> with a fresh DbContext of the host.</summary>
    public async Task<T> WithDbAsync<T>(Func<RlStudioDbContext, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RlStudioDbContext>());
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    /// <summary>A valid GRPO request on the seeded dataset.</summary>
    public static object ValidRunRequest(string name, object? settings = null, string experiment = "tests") => new
    {
        name,
        experiment,
        algorithm = "grpo",
        dataset = "addition-3digit",
        @base = new { preset = "tiny" },
        rewards = new[] { new { type = "exact_match", weight = 1.0 } },
        settings = settings ?? new { steps = 10, batchSize = 16, groupSize = 4 },
    };

    public async Task<RunDto> CreateRunAsync(string? name = null)
    {
        var response = await Client.PostAsJsonAsync("/api/runs", ValidRunRequest(name ?? UniqueName("run")));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RunDto>())!;
    }

    /// <summary>Uploads <paramref name="bytes"/> as a worker would: the checkpoint of <paramref name="runId"/> at <paramref name="step"/>.</summary>
    public Task<HttpResponseMessage> UploadCheckpointAsync(long runId, int step, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return Client.PostAsync($"/api/ingest/runs/{runId}/checkpoints?step={step}", content);
    }

    /// <summary>Sets a run's status directly in the database (a state a test needs, without a worker).</summary>
    public Task<int> SetRunStatusAsync(long runId, RunStatus status) =>
        WithDbAsync(db => db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, status)));

    /// <summary>Uploads <paramref name="jsonl"/> as dataset <paramref name="name"/> (multipart, as the browser does).</summary>
    public Task<HttpResponseMessage> UploadDatasetAsync(string name, string jsonl)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(jsonl)), "file", "data.jsonl" },
        };
        return Client.PostAsync("/api/datasets", form);
    }

    /// <summary>A SignalR client of the run hub over the in-memory test server (not started).</summary>
    public HubConnection ConnectHub() => new HubConnectionBuilder()
        .WithUrl(new Uri(Factory.Server.BaseAddress, RunHub.Path), options =>
        {
            options.Transports = HttpTransportType.LongPolling;
            options.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
        })
        .Build();

    /// <summary>Posts metric points as a worker would.</summary>
    public async Task PostMetricsAsync(long runId, params MetricPoint[] points) =>
        (await Client.PostAsJsonAsync($"/api/ingest/runs/{runId}/metrics", new MetricBatch(points))).EnsureSuccessStatusCode();
}

[CollectionDefinition("api")]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>;
