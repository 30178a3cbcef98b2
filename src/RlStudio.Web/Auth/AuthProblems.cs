using Microsoft.AspNetCore.Mvc;

namespace RlStudio.Web.Auth;

/// <summary>The 401 and 403 answers of every API surface, as RFC 7807 problems.</summary>
public static class AuthProblems
{
    public static Task WriteAsync(IProblemDetailsService problems, HttpContext context, int status, string? detail)
    {
        context.Response.StatusCode = status;
        var problem = status == StatusCodes.Status401Unauthorized
            ? new ProblemDetails
            {
                Status = status, Title = "Sign-in required",
                Detail = detail ?? "Send Authorization: Bearer <API key> (create one on the Keys page), or sign in.",
            }
            : new ProblemDetails
            {
                Status = status, Title = "Not allowed",
                Detail = detail ?? $"Your role may not use {context.Request.Method} {context.Request.Path}.",
            };
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }

    /// <summary>Requests answered in JSON rather than with the sign-in page: the API, the OpenAPI document, the hubs.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/hubs");
}
