using System.Net;

namespace RlStudio.Web.Ui;

/// <summary>
/// A failed call to the REST API, read from its RFC 7807 ProblemDetails body. <see cref="Errors"/> is the
/// validation dictionary keyed by field (e.g. <c>settings.batchSize</c>); <see cref="Exception.Message"/> is a
/// readable one-paragraph summary fit for a snackbar.
/// </summary>
public sealed class ApiProblemException(
    HttpStatusCode status,
    string title,
    string? detail,
    IReadOnlyDictionary<string, string[]> errors)
    : Exception(Summarize(title, detail, errors))
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>"field: why" lines, one per message, in key order.</summary>
    public IEnumerable<string> ErrorLines =>
        Errors.OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Select(message => string.IsNullOrEmpty(e.Key) ? message : $"{e.Key}: {message}"));

    private static string Summarize(string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    {
        var lines = errors.SelectMany(e => e.Value.Select(m => string.IsNullOrEmpty(e.Key) ? m : $"{e.Key}: {m}")).ToList();
        var head = string.IsNullOrWhiteSpace(detail) ? title : $"{title}: {detail}";
        return lines.Count == 0 ? head : $"{head} — {string.Join("; ", lines)}";
    }
}
