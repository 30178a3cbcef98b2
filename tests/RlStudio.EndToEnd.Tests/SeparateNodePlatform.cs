using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using RlStudio.Contracts.Accounts;
using RlStudio.Contracts.Runs;
using RlStudio.Data.Embedded;
using RlStudio.Web.EmbeddedWorker;

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// A scale-out deployment in miniature, for fault tests: a throwaway PostgreSQL cluster, the web host on a fixed loopback
/// port (no embedded worker), and a separate worker node process started by the test with its own worker key — so the
/// host and the database can each be stopped and started again while the node trains.
/// </summary>
public sealed class SeparateNodePlatform : IAsyncLifetime
{
    public const string AdminKey = "rls_e2efaultsadminkey000000000000001";

    /// <summary>The most bytes the node's spool keeps per run (small, so a long outage fills it and training pauses).</summary>
    public const long SpoolBytes = 4L << 20;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "rlstudio-faults-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _port = FreePort();
    private PostgresCluster? _cluster;
    private int _clusterPort;
    private WebApplicationFactory<Program>? _host;
    private Process? _node;
    private string _workerKey = "";

    public HttpClient Api { get; } = new();

    public string BaseUrl => $"http://127.0.0.1:{_port}";

    public string SpoolDir => Path.Combine(_dataDir, "spool");

    public string ConnectionString => _cluster!.ConnectionString;

    public List<string> NodeLog { get; } = [];

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDir = Path.Combine(_dataDir, "db"), Fsync = false, Database = "rlstudio_faults" });
        _clusterPort = _cluster.Port;
        Api.BaseAddress = new Uri(BaseUrl);
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        StartHost();
        using var key = await Api.PostAsJsonAsync("/api/workers/keys", new CreateApiKeyRequest("fault-node"), PlatformFixture.Json);
        Assert.True(key.IsSuccessStatusCode, await key.Content.ReadAsStringAsync());
        _workerKey = (await key.Content.ReadFromJsonAsync<CreatedApiKeyDto>(PlatformFixture.Json))!.Key;
        await StartNodeAsync();
    }

    /// <summary>Starts the web host on this platform's port (again, after <see cref="StopHostAsync"/>).</summary>
    public void StartHost()
    {
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:RlStudio", _cluster!.ConnectionString);
            web.UseSetting("RlStudio:EmbeddedWorker:Enabled", "false");
            web.UseSetting("RlStudio:DataDir", _dataDir);
            web.UseSetting("RlStudio:StaleRuns:StaleAfter", "00:00:10");
            web.UseSetting("RlStudio:StaleRuns:CheckEvery", "00:00:01");
            web.UseSetting("RlStudio:Auth:AdminPassword", PlatformFixture.AdminPassword);
            web.UseSetting("RlStudio:Auth:BootstrapAdminKey", AdminKey);
            web.UseEnvironment("Development");
        });
        _host.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        _host.StartServer();
    }

    public async Task StopHostAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _host = null;
    }

    public Task StopDatabaseAsync() => _cluster!.StopAsync();

    /// <summary>Starts PostgreSQL again on the same folder and port.</summary>
    public async Task StartDatabaseAsync() =>
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions
        {
            DataDir = Path.Combine(_dataDir, "db"), Port = _clusterPort, Fsync = false, Database = "rlstudio_faults",
        });

    private async Task StartNodeAsync()
    {
        var dll = await WorkerProgramLocator.LocateAsync("", AppContext.BaseDirectory, NullLogger.Instance, CancellationToken.None);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ConnectionStrings__RlStudio"] = _cluster!.ConnectionString;
        info.Environment["RlStudio__WebUrl"] = BaseUrl;
        info.Environment["RlStudio__WorkerName"] = "fault-node";
        info.Environment["RlStudio__ApiKey"] = _workerKey;
        info.Environment["RlStudio__ParentProcessId"] = Environment.ProcessId.ToString();
        info.Environment["RlStudio__RunHeartbeatInterval"] = "00:00:02";
        info.Environment["RlStudio__HeartbeatInterval"] = "00:00:02";
        info.Environment["RlStudio__SpoolDir"] = SpoolDir;
        info.Environment["RlStudio__SpoolBytes"] = SpoolBytes.ToString();
        for (var i = 0; i < EmbeddedWorkerOptions.DefaultQueues.Length; i++) info.Environment[$"RlStudio__Queues__{i}"] = EmbeddedWorkerOptions.DefaultQueues[i];
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        _node = Process.Start(info)!;
        _node.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (NodeLog) NodeLog.Add(e.Data); };
        _node.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (NodeLog) NodeLog.Add(e.Data); };
        _node.BeginOutputReadLine();
        _node.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!(await Api.GetFromJsonAsync<RlStudio.Contracts.Workers.WorkerNodeDto[]>("/api/workers", PlatformFixture.Json))!.Any(w => w.Online))
        {
            if (DateTime.UtcNow > deadline || _node.HasExited) throw new TimeoutException("The worker node never announced itself: " + string.Join('\n', NodeLog.TakeLast(20)));
            await Task.Delay(250);
        }
    }

    /// <summary>The node's log lines that contain <paramref name="text"/>.</summary>
    public List<string> NodeLines(string text)
    {
        lock (NodeLog) return NodeLog.Where(l => l.Contains(text, StringComparison.Ordinal)).ToList();
    }

    public async Task<RunDto> CreateRunAsync(object request)
    {
        using var response = await Api.PostAsJsonAsync("/api/runs", request, PlatformFixture.Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>(PlatformFixture.Json))!;
    }

    public Task<RunDto> WaitForRunAsync(long runId, Func<RunDto, bool> done, TimeSpan timeout) =>
        TestHosts.WaitForRunAsync(Api, runId, done, timeout);

    public async Task DisposeAsync()
    {
        if (_node is { HasExited: false })
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        await StopHostAsync();
        if (_cluster is not null) await _cluster.DisposeAsync();
        Api.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
