using Microsoft.AspNetCore.Http.HttpResults;

namespace RlStudio.Web.Api;

public static class HealthApi
{
    public static RouteHandlerBuilder MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/health", GetHealth).WithTags("Health");

    public static Ok<HealthResponse> GetHealth() => TypedResults.Ok(new HealthResponse("ok"));
}

public sealed record HealthResponse(string Status);
