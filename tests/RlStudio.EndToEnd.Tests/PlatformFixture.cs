using System.Net;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using RlStudio.Contracts.Accounts;
using RlStudio.Contracts.Datasets;
using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Runs;
using RlStudio.Contracts.Workers;
using RlStudio.Data.Embedded;

// One test at a time: the fault tests start their own hosts and clusters, and on 2 cores timing-sensitive tests (a
// 10-second stale window, a cancel grace) must not compete with another collection for the CPU.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RlStudio.EndToEnd.Tests;

/// <summary>
/// The whole platform as a user runs it: a throwaway PostgreSQL cluster, the web host on a real
/// loopback Kestrel port, the real worker program started by the web host as a separate child process
/// (the all-in-one mode), and a real Chromium driven by Playwright.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The first admin's password and an admin key for the API client (set through configuration, as docker-compose does).</summary>
    public const string AdminName = "admin";
    public const string AdminPassword = "e2e-admin-password-0001";
    public const string AdminKey = "rls_e2eadminkey00000000000000000001";

    private string? _adminSession;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "rlstudio-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private PostgresCluster? _cluster;
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public HttpClient Api { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDir = _dataDir, Fsync = false, Database = "rlstudio_e2e" });
        try
        {
            await StartHostAndBrowserAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization threw: stop what started here.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartHostAndBrowserAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:RlStudio", _cluster!.ConnectionString);
            web.UseSetting("RlStudio:EmbeddedWorker:Enabled", "true");
            web.UseSetting("RlStudio:DataDir", _dataDir);
            // A killed worker is noticed quickly (real deployments wait longer) and restarted at once.
            web.UseSetting("RlStudio:StaleRuns:StaleAfter", "00:00:10");
            web.UseSetting("RlStudio:StaleRuns:CheckEvery", "00:00:01");
            web.UseSetting("RlStudio:EmbeddedWorker:RestartDelay", "00:00:01");
            // A trainer that ignores a cancel is stopped after 10 s (real deployments: 60 s).
            web.UseSetting("RlStudio:EmbeddedWorker:CancelGrace", "00:00:10");
            web.UseSetting("RlStudio:EmbeddedWorker:CancelCheckInterval", "00:00:00.500");
            // Runs report they are alive well within the 10 s stale window above, also during a long step.
            web.UseSetting("RlStudio:EmbeddedWorker:RunHeartbeatInterval", "00:00:02");
            web.UseSetting("RlStudio:Auth:AdminPassword", AdminPassword);
            // Model folders and exports of the tests live in temporary folders.
            web.UseSetting("RlStudio:EmbeddedWorker:ModelRoots:0", Path.GetTempPath());
            web.UseSetting("RlStudio:Auth:BootstrapAdminKey", AdminKey);
            // Launched runs' jobs are looked at often (real deployments: every 5 s).
            web.UseSetting("RlStudio:Launchers:PollInterval", "00:00:00.300");
            web.UseEnvironment("Development");
        });
        // A free loopback port (not Kestrel's default 5000), so parallel test runs never collide.
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        Api = _factory.CreateClient();
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        BaseUrl = Api.BaseAddress!.ToString().TrimEnd('/');
        // The embedded worker announces its model roots with its first heartbeat; tests that name folders need it.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!(await GetAsync<WorkerNodeDto[]>("/api/workers")).Any(w => w.Online))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The embedded worker never announced itself.");
            await Task.Delay(250);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>The machine's Chromium (<c>RLSTUDIO_CHROMIUM</c> or /usr/bin/chromium), headless.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("RLSTUDIO_CHROMIUM") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            Headless = true,
        });

    /// <summary>A page signed in as the admin (one sign-in through the sign-in page, its cookie reused by every later page).</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (_adminSession is null)
        {
            await using var context = await Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await SignInAsync(page, AdminName, AdminPassword);
            _adminSession = await context.StorageStateAsync();
        }
        return await Browser.NewPageAsync(new BrowserNewPageOptions { StorageState = _adminSession });
    }

    /// <summary>Signs in on the sign-in page as a person would, and waits until the app is interactive.</summary>
    public Task SignInAsync(IPage page, string name, string password) => SignInAsync(page, BaseUrl, name, password);

    /// <summary>As <see cref="SignInAsync(IPage, string, string)"/>, on the web host at <paramref name="baseUrl"/>.</summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string name, string password)
    {
        await page.GotoAsync($"{baseUrl}/login");
        await page.GetByTestId("login-name").FillAsync(name);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']", new() { Timeout = 60_000 });
    }

    public async Task<T> GetAsync<T>(string path) =>
        await Api.GetFromJsonAsync<T>(path, Json) ?? throw new InvalidOperationException($"GET {path} returned nothing.");

    /// <summary>Uploads a JSONL dataset through the API (asserting 201).</summary>
    public async Task<DatasetDto> UploadDatasetAsync(string name, string jsonl)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", name + ".jsonl" },
        };
        using var response = await Api.PostAsync("/api/datasets", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DatasetDto>(Json))!;
    }

    /// <summary>Creates a run through the API (asserting 201).</summary>
    public async Task<RunDto> CreateRunAsync(object request)
    {
        using var response = await Api.PostAsJsonAsync("/api/runs", request, Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json))!;
    }

    /// <summary>A new account of <paramref name="role"/> with a password (to sign in) and a client holding its API key.</summary>
    public async Task<(string Name, string Password, HttpClient Client)> AccountAsync(string role)
    {
        var name = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..20];
        const string password = "e2e-account-password-0001";
        using var created = await Api.PostAsJsonAsync("/api/users", new CreateUserRequest(name, role, password), Json);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var user = (await created.Content.ReadFromJsonAsync<CreatedUserDto>(Json))!;
        using var key = await Api.PostAsJsonAsync($"/api/users/{user.Id}/keys", new CreateApiKeyRequest("e2e"), Json);
        var secret = (await key.Content.ReadFromJsonAsync<CreatedApiKeyDto>(Json))!.Key;
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        return (name, password, client);
    }

    /// <summary>Imports a comparison batch (JSONL of prompt, response_a, response_b) through the API.</summary>
    public async Task<ComparisonBatchDto> ImportBatchAsync(string name, string jsonl, int overlap, string? guidelines = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(name), "name" },
            { new StringContent(overlap.ToString(System.Globalization.CultureInfo.InvariantCulture)), "overlap" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl)), "file", "pairs.jsonl" },
        };
        if (guidelines is not null) form.Add(new StringContent(guidelines), "guidelines");
        using var response = await Api.PostAsync("/api/comparison-batches", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ComparisonBatchDto>(Json))!;
    }

    /// <summary>Polls a run until <paramref name="done"/> holds; throws after <paramref name="timeout"/>.</summary>
    public Task<RunDto> WaitForRunAsync(long runId, Func<RunDto, bool> done, TimeSpan timeout) =>
        TestHosts.WaitForRunAsync(Api, runId, done, timeout);

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            if (Browser is not null) await Browser.DisposeAsync();
            _playwright.Dispose();
        }
        if (_factory is not null) await _factory.DisposeAsync(); // stops the worker child process
        if (_cluster is not null) await _cluster.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
