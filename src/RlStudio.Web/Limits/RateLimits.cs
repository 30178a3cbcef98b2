using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RlStudio.Web.Auth;

namespace RlStudio.Web.Limits;

/// <summary>
/// ASP.NET Core rate limiting: sign-in attempts per client address, API requests per key (or address), ingest requests
/// per run. A refused request gets 429 with <c>Retry-After</c> and a problem saying which limit it hit.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "signin";
    public const string Api = "api";
    public const string Ingest = "ingest";

    public static IServiceCollection AddRlStudioRateLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitOptions>().BindConfiguration(LimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignIn, context =>
            {
                var limits = Limits(context);
                // Only form posts are attempts; showing the page is not.
                return HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter($"signin:{Address(context)}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.SignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("signin:view");
            });
            limiter.AddPolicy(Api, context => Bucket($"api:{Caller(context)}", Limits(context).ApiRequestsPerSecond));
            limiter.AddPolicy(Ingest, context => Bucket($"ingest:run:{context.Request.RouteValues["id"] ?? Caller(context)}", Limits(context).IngestRequestsPerRunPerSecond));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static LimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;

    private static RateLimitPartition<string> Bucket(string key, int perSecond) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond * 4, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
        });

    /// <summary>The key the caller authenticated with, or its account, or its address.</summary>
    private static string Caller(HttpContext context) =>
        context.User.FindFirstValue(Auth.Caller.ApiKeyClaim) is { } key ? $"key:{key}"
        : context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user ? $"user:{user}"
        : $"ip:{Address(context)}";

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests",
                Detail = $"Slow down: try again in {seconds} s.",
            },
        });
    }
}
