using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RlStudio.Api.Tests;

/// <summary>
/// Rate limits (429 with Retry-After) and request size limits (413), on a second host over the same database whose
/// limits are set low enough to hit, served by Kestrel on a loopback port (Kestrel enforces the body size limits).
/// </summary>
[Collection("api")]
public sealed class LimitsTests : IDisposable
{
    private readonly ApiFixture fixture;
    private readonly WebApplicationFactory<Program> _strict;

    public LimitsTests(ApiFixture fixture)
    {
        this.fixture = fixture;
        _strict = fixture.Factory.WithWebHostBuilder(web =>
        {
            web.UseSetting("RlStudio:Limits:ApiRequestsPerSecond", "1");
            web.UseSetting("RlStudio:Limits:SignInsPerMinute", "2");
            web.UseSetting("RlStudio:Limits:JsonBodyBytes", "4096");
        });
        _strict.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _strict.StartServer();
        var server = _strict.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        _address = new Uri(server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
    }

    private readonly Uri _address;

    /// <summary>A real HTTP client of the strict host.</summary>
    private HttpClient Client(bool redirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = redirects }) { BaseAddress = _address };

    public void Dispose() => _strict.Dispose();

    private HttpClient Admin()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.AdminKey);
        return client;
    }

    [Fact]
    public async Task Api_TooManyRequestsFromOneKey_Get429WithRetryAfter()
    {
        using var client = Admin();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 12 && refused is null; i++)
        {
            var response = await client.GetAsync("/api/experiments");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }
        Assert.NotNull(refused);
        Assert.True(statuses.Take(4).All(s => s == HttpStatusCode.OK), string.Join(", ", statuses));
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        // Another key has its own allowance.
        var (_, researcher) = await fixture.AccountAsync("Researcher");
        using var other = Client();
        other.DefaultRequestHeaders.Authorization = researcher.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/experiments")).StatusCode);
    }

    [Fact]
    public async Task SignIn_TooManyAttempts_Get429()
    {
        using var client = Client(redirects: false);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "login", ["Input.Name"] = "admin", ["Input.Password"] = "x" });
            statuses.Add((await client.PostAsync("/login", form)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(2));
    }

    [Fact]
    public async Task JsonBody_LargerThanTheLimit_Gets413AndStoresNothing()
    {
        using var client = Admin();
        var before = await fixture.WithDbAsync(db => Task.FromResult(db.Runs.Count()));
        var request = ApiFixture.ValidRunRequest(ApiFixture.UniqueName("big")) as object;
        var body = System.Text.Json.JsonSerializer.SerializeToNode(request)!.AsObject();
        body["notes"] = new string('x', 8000);
        var response = await client.PostAsJsonAsync("/api/runs", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await fixture.WithDbAsync(db => Task.FromResult(db.Runs.Count())));
    }
}
