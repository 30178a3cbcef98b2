using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Contracts.Accounts;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Live;
using RlStudio.Contracts.Metrics;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data;
using RlStudio.Data.Embedded;
using RlStudio.Data.Storage;

namespace RlStudio.Api.Tests;

/// <summary>
/// One throwaway PostgreSQL cluster (fsync off, free port, temp folder) and one web host pointed at it, shared by
/// every test in the <c>api</c> collection. Tests use unique names so they do not see each other's rows.
/// <see cref="Client"/> is an Admin (the bootstrap key); <see cref="Worker"/> gives a worker node's client,
/// <see cref="AccountAsync"/> one for an account of a role, <see cref="Anonymous"/> sends no credentials.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string AdminKey = "rls_apifixtureadminkey000000000000001";

    /// <summary>The worker node that <see cref="PostMetricsAsync"/> and <see cref="UploadCheckpointAsync"/> report as.</summary>
    public const string TestWorker = "test-worker";

    /// <summary>The model root <see cref="TestWorker"/> announces (model folders and exports must lie under it).</summary>
    public const string ModelRoot = "/models";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"rlstudio-api-tests-{Guid.NewGuid():N}");
    private readonly ConcurrentDictionary<string, Lazy<HttpClient>> _workers = new();
    private PostgresCluster? _cluster;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The fixture's database, for tests that act as another process on it.</summary>
    public string ConnectionString => _cluster!.ConnectionString;

    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDir = _dataDir, Fsync = false, Database = "rlstudio_test" });
        var connectionString = _cluster.ConnectionString;
        try
        {
            Factory = NewHost(connectionString);
            Client = WithKey(AdminKey);
            Anonymous = Factory.CreateClient();
            // A node that serves the usual queues and allows model folders and exports under /models.
            (await Worker(TestWorker).PostAsJsonAsync("/api/ingest/workers/heartbeat",
                new WorkerHeartbeat(TestWorker, "cpu", null, null, ["default", "gpu", "cpu"], null, [ModelRoot]))).EnsureSuccessStatusCode();
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization threw: stop the cluster here.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A web host on this fixture's database with the test settings. <see cref="Factory"/> is one; a test may start another
    /// (two hosts behind one database) and dispose it.
    /// </summary>
    public WebApplicationFactory<Program> NewHost(string? connectionString = null)
    {
        connectionString ??= _cluster!.ConnectionString;
        return new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:RlStudio", connectionString);
            web.UseSetting("RlStudio:EmbeddedWorker:Enabled", "false");
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            // The in-memory test server cannot enforce body size limits (LimitsTests checks them over Kestrel).
            web.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", "Error");
            web.UseSetting("RlStudio:Auth:BootstrapAdminKey", AdminKey);
            web.UseSetting("RlStudio:DataDir", _dataDir);
            web.UseSetting("RlStudio:Limits:RolloutsKeptPerStep", "50");
            web.UseSetting("RlStudio:Limits:MetricPointsPerRequest", "30000");
            // Several hosts may share the database (ScaleOutTests): live updates cross between them.
            web.UseSetting("RlStudio:LiveBackplane:Enabled", "true");
            // Launched runs are followed by explicit sweeps in the tests (LaunchTests), not by the timer.
            web.UseSetting("RlStudio:Launchers:PollInterval", "00:10:00");
            web.UseSetting("RlStudio:Launchers:PublicUrl", "http://rlstudio.test");
        });
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token.</summary>
    public HttpClient WithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The client of worker node <paramref name="name"/> (its worker key, made once).</summary>
    public HttpClient Worker(string name) =>
        _workers.GetOrAdd(name, n => new Lazy<HttpClient>(() => WithKey(IssueWorkerKeyAsync(n).GetAwaiter().GetResult()))).Value;

    private async Task<string> IssueWorkerKeyAsync(string name)
    {
        var response = await Client.PostAsJsonAsync("/api/workers/keys", new CreateApiKeyRequest(name));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedApiKeyDto>())!.Key;
    }

    /// <summary>A new account of <paramref name="role"/> and a client with its key.</summary>
    public async Task<(UserDto User, HttpClient Client)> AccountAsync(string role)
    {
        var created = await Client.PostAsJsonAsync("/api/users", new CreateUserRequest(UniqueName(role.ToLowerInvariant()), role));
        created.EnsureSuccessStatusCode();
        var user = (await created.Content.ReadFromJsonAsync<CreatedUserDto>())!;
        var key = await Client.PostAsJsonAsync($"/api/users/{user.Id}/keys", new CreateApiKeyRequest("tests"));
        key.EnsureSuccessStatusCode();
        return (new UserDto(user.Id, user.Name, user.Role, user.Disabled, user.CreatedAt, null),
            WithKey((await key.Content.ReadFromJsonAsync<CreatedApiKeyDto>())!.Key));
    }

    /// <summary>Makes <paramref name="worker"/> the run's claimer in the database (what ingest for the run needs), whatever its status.</summary>
    public Task AssignAsync(long runId, string worker = TestWorker) =>
        WithDbAsync(db => db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Worker, worker)));

    /// <summary>A dataset version's items as stored.</summary>
    public Task<IReadOnlyList<DatasetItemDto>> VersionItemsAsync(long versionId) =>
        WithDbAsync(async db => (IReadOnlyList<DatasetItemDto>)(await db.GetItemsAsync(versionId, CancellationToken.None))!);

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Anonymous?.Dispose();
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

    /// <summary>
    /// Uploads <paramref name="bytes"/> as a worker would: the checkpoint of <paramref name="runId"/> at <paramref name="step"/>
    /// (from <see cref="TestWorker"/>, made the run's claimer unless another worker claimed it).
    /// </summary>
    public async Task<HttpResponseMessage> UploadCheckpointAsync(long runId, int step, byte[] bytes)
    {
        var worker = await ClaimerOrTestWorkerAsync(runId);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await Worker(worker).PostAsync($"/api/ingest/runs/{runId}/checkpoints?step={step}", content);
    }

    /// <summary>The worker that claimed the run, or <see cref="TestWorker"/> made its claimer.</summary>
    private async Task<string> ClaimerOrTestWorkerAsync(long runId)
    {
        var worker = await WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Worker).SingleOrDefaultAsync());
        if (worker is not null) return worker;
        await AssignAsync(runId);
        return TestWorker;
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

    /// <summary>Uploads <paramref name="content"/> and asserts a 400 whose file errors name <paramref name="line"/> and <paramref name="problem"/>, with nothing stored.</summary>
    public async Task AssertUploadRefusedAsync(string content, string line, string problem)
    {
        var name = UniqueName("bad");
        var response = await UploadDatasetAsync(name, content);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").GetProperty("file");
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.StartsWith(line, StringComparison.Ordinal) && e.GetString()!.Contains(problem, StringComparison.Ordinal));
        Assert.False(await WithDbAsync(db => db.Datasets.AnyAsync(d => d.Name == name)));
    }

    /// <summary>A SignalR client of the run hub over the in-memory test server (not started).</summary>
    public HubConnection ConnectHub() => new HubConnectionBuilder()
        .WithUrl(new Uri(Factory.Server.BaseAddress, RunHub.Path), options =>
        {
            options.Transports = HttpTransportType.LongPolling;
            options.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
            options.Headers["Authorization"] = $"Bearer {AdminKey}";
        })
        .Build();

    /// <summary>Posts metric points as a worker would (the run's claimer, or <see cref="TestWorker"/>).</summary>
    public async Task PostMetricsAsync(long runId, params MetricPoint[] points) =>
        (await Ingest(runId).PostAsJsonAsync($"/api/ingest/runs/{runId}/metrics", new MetricBatch(points))).EnsureSuccessStatusCode();

    /// <summary>The ingest client for a run: its claimer's, or <see cref="TestWorker"/>'s after making it the claimer.</summary>
    public HttpClient Ingest(long runId) => Worker(ClaimerOrTestWorkerAsync(runId).GetAwaiter().GetResult());
}

[CollectionDefinition("api")]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>;
