using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using RlStudio.Contracts.Runs;

namespace RlStudio.EndToEnd.Tests;

/// <summary>Web hosts the fault tests start and stop themselves, and waiting on a run through any host's API.</summary>
public static class TestHosts
{
    /// <summary>
    /// The all-in-one web host (its embedded worker on) on a free loopback port, with the fault tests' short stale window:
    /// on <paramref name="connectionString"/>, or with no connection string on its own PostgreSQL under <paramref name="dataDir"/>.
    /// </summary>
    public static WebApplicationFactory<Program> StartAllInOne(string dataDir, string? connectionString)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            if (connectionString is not null) web.UseSetting("ConnectionStrings:RlStudio", connectionString);
            web.UseSetting("RlStudio:EmbeddedWorker:Enabled", "true");
            web.UseSetting("RlStudio:DataDir", dataDir);
            web.UseSetting("RlStudio:StaleRuns:StaleAfter", "00:00:10");
            web.UseSetting("RlStudio:StaleRuns:CheckEvery", "00:00:01");
            web.UseSetting("RlStudio:EmbeddedWorker:RunHeartbeatInterval", "00:00:02");
            web.UseSetting("RlStudio:Auth:AdminPassword", PlatformFixture.AdminPassword);
            web.UseSetting("RlStudio:Auth:BootstrapAdminKey", PlatformFixture.AdminKey);
            web.UseEnvironment("Development");
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }

    /// <summary>A client of <paramref name="factory"/> holding the admin key.</summary>
    public static HttpClient AdminClient(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PlatformFixture.AdminKey);
        return client;
    }

    /// <summary>Polls a run until <paramref name="done"/> holds (answers other than 200, e.g. 503 while the database is down, are waited out).</summary>
    public static async Task<RunDto> WaitForRunAsync(HttpClient api, long runId, Func<RunDto, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await api.GetAsync($"/api/runs/{runId}");
            RunDto? run = null;
            if (response.IsSuccessStatusCode)
            {
                run = (await response.Content.ReadFromJsonAsync<RunDto>(PlatformFixture.Json))!;
                if (done(run)) return run;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(run is null ? $"run {runId}: {(int)response.StatusCode}" : $"run {runId} is {run.Status} at step {run.Step}: {run.Error}");
            await Task.Delay(200);
        }
    }
}
