using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RlStudio.Web.Auth;

namespace RlStudio.Api.Tests;

/// <summary>
/// Who may call what, per endpoint group and caller (anonymous, Labeler, Researcher, Admin, a worker key), from one table;
/// and every route the host maps names its policy (or says it is open), so a new endpoint without one fails here.
/// </summary>
[Collection("api")]
public sealed class EndpointPolicyTests(ApiFixture fixture)
{
    public enum Who { Anonymous, Labeler, Researcher, Admin, Worker }

    /// <summary>One request per endpoint group: the role that may make it gets past authorization (any status but 401/403).</summary>
    public static TheoryData<string, string, string[]> Groups => new()
    {
        { "GET", "/api/runs", ["Researcher", "Admin"] },
        { "POST", "/api/runs/validate", ["Researcher", "Admin"] },
        { "GET", "/api/datasets", ["Researcher", "Admin"] },
        { "GET", "/api/experiments", ["Researcher", "Admin"] },
        { "GET", "/api/workers", ["Researcher", "Admin"] },
        { "GET", "/api/queues", ["Researcher", "Admin"] },
        { "GET", "/api/checkpoints/999999/content", ["Researcher", "Admin"] },
        { "GET", "/api/exports/999999", ["Researcher", "Admin"] },
        { "GET", "/openapi/v1.json", ["Researcher", "Admin"] },
        { "POST", "/hubs/runs/negotiate?negotiateVersion=1", ["Researcher", "Admin"] },
        { "GET", "/api/comparison-batches", ["Researcher", "Admin"] },
        { "GET", "/api/labeling/batches", ["Labeler", "Researcher", "Admin"] },
        { "POST", "/api/2.0/mlflow/experiments/search", ["Researcher", "Admin"] },
        { "GET", "/api/2.0/mlflow-artifacts/artifacts?path=1/1/artifacts", ["Researcher", "Admin"] },
        { "GET", "/api/users", ["Admin"] },
        { "POST", "/api/workers/keys", ["Admin"] },
        { "GET", "/api/audit", ["Admin"] },
        { "GET", "/hangfire", ["Admin"] },
        { "GET", "/api/keys", ["Labeler", "Researcher", "Admin"] },
        { "DELETE", "/api/keys/999999", ["Labeler", "Researcher", "Admin"] },
        { "GET", "/api/me", ["Labeler", "Researcher", "Admin", "Worker"] },
        { "POST", "/api/ingest/workers/heartbeat", ["Worker"] },
        { "POST", "/api/ingest/runs/999999/metrics", ["Worker"] },
        { "GET", "/api/ingest/datasets/versions/999999/items", ["Worker"] },
        { "POST", "/api/ingest/batches/999999/claim", ["Worker"] },
        { "GET", "/api/health", ["Anonymous", "Labeler", "Researcher", "Admin", "Worker"] },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public async Task Endpoint_EachCaller_IsAllowedOnlyWithItsRole(string method, string path, string[] allowed)
    {
        foreach (var who in Enum.GetValues<Who>())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST") request.Content = JsonContent.Create(new { });
            using var response = await (await ClientAsync(who)).SendAsync(request);
            var status = response.StatusCode;
            if (response.RequestMessage!.RequestUri!.AbsolutePath is "/login" or "/not-allowed")
            {
                // A page (the dashboard) answers a refusal with the sign-in or not-allowed page, not a problem.
                status = response.RequestMessage.RequestUri.AbsolutePath == "/login" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            }
            if (allowed.Contains(who.ToString()))
            {
                Assert.False(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{who} {method} {path}: {status}");
            }
            else
            {
                Assert.True(status == (who == Who.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden), $"{who} {method} {path}: {status}");
                if (!path.StartsWith("/hangfire", StringComparison.Ordinal))
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public void EveryMappedRoute_NamesItsPolicyOrIsOpenOnPurpose()
    {
        var sources = fixture.Factory.Services.GetServices<EndpointDataSource>();
        var routes = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("api", StringComparison.Ordinal)
                        || raw.Contains("openapi", StringComparison.Ordinal) || raw.Contains("hubs", StringComparison.Ordinal) || raw.Contains("hangfire", StringComparison.Ordinal)))
            .ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        var open = routes.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText).ToList();
        Assert.Equal(["/api/health"], open);
        var unnamed = routes.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                                        && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            .Select(e => $"{e.DisplayName}").ToList();
        Assert.True(unnamed.Count == 0, "routes without a policy: " + string.Join("; ", unnamed));
    }

    private readonly Dictionary<Who, HttpClient> _clients = [];

    private async Task<HttpClient> ClientAsync(Who who)
    {
        if (_clients.TryGetValue(who, out var client)) return client;
        client = who switch
        {
            Who.Anonymous => fixture.Anonymous,
            Who.Admin => fixture.Client,
            Who.Worker => fixture.Worker("policy-worker"),
            Who.Labeler => (await fixture.AccountAsync(Roles.Labeler)).Client,
            Who.Researcher => (await fixture.AccountAsync(Roles.Researcher)).Client,
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };
        return _clients[who] = client;
    }
}
