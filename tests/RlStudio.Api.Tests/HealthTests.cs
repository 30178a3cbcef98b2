using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RlStudio.Api.Tests;

[Collection("api")]
public sealed class HealthTests(ApiFixture fixture)
{
    [Fact]
    public async Task Health_Get_ReturnsOk()
    {
        var response = await fixture.Client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Get_DescribesRunsApi()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/runs", out _));
    }

    [Fact]
    public async Task UnknownRun_Get_Returns404ProblemDetails()
    {
        var response = await fixture.Client.GetAsync("/api/runs/999999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
