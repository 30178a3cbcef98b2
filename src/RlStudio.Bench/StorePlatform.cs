using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using RlStudio.Contracts.Accounts;
using RlStudio.Contracts.Ingest;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Embedded;

namespace RlStudio.Bench;

/// <summary>
/// What the store benchmark measures against: a throwaway PostgreSQL cluster and the real web host (this checkout's build,
/// same configuration) as a separate process on a loopback port, with its embedded worker; an admin client and a worker
/// node's client. Disposing stops both and deletes the folder.
/// </summary>
public sealed class StorePlatform : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public const string AdminKey = "rls_benchstoreadminkey0000000000000001";
    public const string NodeName = "bench-node";

    /// <summary>A queue no worker serves: runs created on it stay Queued, so the bench node can claim them and report into them.</summary>
    public const string IdleQueue = "bench-idle";

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "rlstudio-bench-store-" + Guid.NewGuid().ToString("N")[..8]);
    private PostgresCluster? _cluster;
    private Process? _host;

    public HttpClient Admin { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };
    public HttpClient Node { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };
    public string BaseUrl { get; private set; } = "";
    public string ConnectionString => _cluster!.ConnectionString;

    public static async Task<StorePlatform> StartAsync(TextWriter log)
    {
        var platform = new StorePlatform();
        try
        {
            await platform.InitializeAsync(log);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(TextWriter log)
    {
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDir = Path.Combine(_dataDir, "db"), Database = "rlstudio_bench", Fsync = false });
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var web = await WebHostDllAsync(log);
        var start = new ProcessStartInfo("dotnet", [web]) { WorkingDirectory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(web)!, "..", "..", "..")), RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        start.Environment["ConnectionStrings__RlStudio"] = _cluster.ConnectionString;
        start.Environment["RlStudio__DataDir"] = _dataDir;
        start.Environment["RlStudio__EmbeddedWorker__Enabled"] = "true";
        start.Environment["RlStudio__Auth__BootstrapAdminKey"] = AdminKey;
        start.Environment["RlStudio__Auth__AdminPassword"] = "bench-store-admin-password";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, e) => { if (e.Data is not null && Environment.GetEnvironmentVariable("RLSTUDIO_BENCH_WEB_LOG") is "1") log.WriteLine($"# web: {e.Data}"); };
        _host.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine($"# web: {e.Data}"); };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        Admin.BaseAddress = Node.BaseAddress = new Uri(BaseUrl);
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            try
            {
                using var health = await Admin.GetAsync("/api/health");
                if (health.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
            }
            if (_host.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("The web host did not start.");
            await Task.Delay(200);
        }
        using var key = await Admin.PostAsJsonAsync("/api/workers/keys", new CreateApiKeyRequest(NodeName), Json);
        key.EnsureSuccessStatusCode();
        Node.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await key.Content.ReadFromJsonAsync<CreatedApiKeyDto>(Json))!.Key);
    }

    /// <summary>A run of the seeded demo dataset on <paramref name="queue"/> (SFT, tiny preset, <paramref name="steps"/> steps).</summary>
    public async Task<RunDto> CreateRunAsync(string name, string queue, int steps = 1)
    {
        using var response = await Admin.PostAsJsonAsync("/api/runs", new
        {
            name, experiment = "bench-store", algorithm = "sft", dataset = "addition-2digit", @base = new { preset = "tiny" }, queue,
            settings = new { steps, batchSize = 8, evalEvery = 0 },
        }, Json);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"create run: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json))!;
    }

    /// <summary>A run the bench node has claimed, ready for reports.</summary>
    public async Task<long> ClaimedRunAsync(string name)
    {
        var run = await CreateRunAsync(name, IdleQueue);
        using var claim = await Node.PostAsJsonAsync($"/api/ingest/runs/{run.Id}/claim", new ClaimRunRequest(NodeName), Json);
        claim.EnsureSuccessStatusCode();
        return run.Id;
    }

    /// <summary>
    /// The web host built (incrementally) from this checkout's sources in this benchmark's configuration; the web host
    /// builds its worker the same way when it starts it.
    /// </summary>
    private static async Task<string> WebHostDllAsync(TextWriter log)
    {
        var configuration = typeof(StorePlatform).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RlStudio.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException($"RlStudio.sln not found above {AppContext.BaseDirectory}.");
        var project = Path.Combine(root.FullName, "src", "RlStudio.Web", "RlStudio.Web.csproj");
        log.WriteLine($"# building the web host ({configuration})");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", configuration, "-v", "q", "-nologo"]) { RedirectStandardOutput = true })!;
        var output = await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0) throw new InvalidOperationException($"Building the web host failed:\n{output}");
        return Path.Combine(root.FullName, "src", "RlStudio.Web", "bin", configuration, "net10.0", "RlStudio.Web.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
        }
        if (_cluster is not null) await _cluster.DisposeAsync();
        Admin.Dispose();
        Node.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
