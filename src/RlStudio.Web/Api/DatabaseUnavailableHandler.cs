using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace RlStudio.Web.Api;

/// <summary>
/// A request that failed because PostgreSQL is unreachable or restarting answers 503 with <c>Retry-After</c> and a problem
/// saying so, instead of a 500: clients (the worker's ingest client, the MLflow clients, scripts) retry 503, and nothing was
/// written (every write is one transaction). Other failures go on to the next handler.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, Hosting.DatabaseAvailability availability, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    /// <summary>What a client is told to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception)) return false;
        availability.MarkUnavailable();
        logger.LogWarning("{Method} {Path}: the database is unavailable ({Error}); answered 503",
            context.Request.Method, context.Request.Path, Innermost(exception).Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable",
                Detail = $"PostgreSQL could not be reached (it may be restarting). Nothing was changed; try again in {RetryAfterSeconds} s.",
            },
        });
    }

    /// <summary>True when <paramref name="exception"/> or one it wraps says the database is down, restarting or unreachable.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // admin_shutdown, crash_shutdown, cannot_connect_now; connection exceptions (08…)
                case PostgresException p when p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal):
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null) exception = exception.InnerException;
        return exception;
    }
}
