using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace RlStudio.Web.Api;

/// <summary>
/// A request the framework could not read — a body that is not JSON or has a value of the wrong type, a query value that
/// is not a number, a body over its size limit — answers its 4xx (400, 413, …) as a problem that names what was wrong
/// (<c>errors.body</c> with the JSON path, or the parameter), instead of a bare status or a 500.
/// </summary>
public sealed partial class UnreadableRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var (field, message) = Describe(bad);
        context.Response.StatusCode = bad.StatusCode;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request could not be read",
            Detail = message,
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The field to blame and why: the body (with the JSON path and the parser's reason) or a named parameter.</summary>
    private static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path is { Length: > 1 } p ? $" at {p}" : "";
            return ("body", $"not valid JSON for this request{path}: {FirstSentence(json.Message)}");
        }
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) return ("body", bad.Message);
        if (Parameter().Match(bad.Message) is { Success: true } match)
        {
            var name = match.Groups["name"].Value;
            return (name == "request" || match.Groups["type"].Value.EndsWith("Request", StringComparison.Ordinal) ? "body" : name, bad.Message);
        }
        return ("body", bad.Message);
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Trim();

    /// <summary>"Failed to bind parameter "int? limit" from "abc"." and "Required parameter "CreateRunRequest request" was not provided".</summary>
    [GeneratedRegex("parameter \"(?<type>[^ \"]+(?: [^ \"]+)*) (?<name>\\w+)\"")]
    private static partial Regex Parameter();
}
