namespace RlStudio.Web.Ui;

/// <summary>
/// A form's view of an <see cref="ApiProblemException"/>'s field errors: each field asks for its own
/// messages by key (case-insensitive; <c>settings</c> also claims <c>settings.batchSize</c> and
/// <c>rewards</c> claims <c>rewards[0].weight</c>), and whatever no field claimed is listed by <see cref="Unclaimed"/>.
/// </summary>
public sealed class ProblemErrors
{
    public static readonly ProblemErrors None = new(null);

    /// <summary>A request that got no answer (network, server down): one headline, no field errors.</summary>
    public static ProblemErrors Unreachable(Exception error, string title = "The API could not be reached") =>
        new(new ApiProblemException(System.Net.HttpStatusCode.ServiceUnavailable, title, error.Message, new Dictionary<string, string[]>()));

    private readonly ApiProblemException? _problem;

    public ProblemErrors(ApiProblemException? problem) => _problem = problem;

    public bool Any => _problem is not null;

    /// <summary>The problem's title/detail line, when there is a problem.</summary>
    public string? Headline => _problem is null ? null
        : string.IsNullOrWhiteSpace(_problem.Detail) ? _problem.Title : $"{_problem.Title}: {_problem.Detail}";

    public bool Has(string key) => Matching(key).Any();

    /// <summary>The messages for <paramref name="key"/> and its sub-keys, joined; null when none.</summary>
    public string? For(string key)
    {
        var messages = Matching(key).SelectMany(e => e.Value).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>"key: message" for every error whose key is not under one of <paramref name="claimedKeys"/>.</summary>
    public IEnumerable<string> Unclaimed(IEnumerable<string> claimedKeys)
    {
        if (_problem is null) return [];
        var claimed = claimedKeys.ToList();
        return _problem.Errors
            .Where(e => !claimed.Any(k => IsUnder(e.Key, k)))
            .SelectMany(e => e.Value.Select(m => string.IsNullOrEmpty(e.Key) ? m : $"{e.Key}: {m}"));
    }

    private IEnumerable<KeyValuePair<string, string[]>> Matching(string key) =>
        _problem?.Errors.Where(e => IsUnder(e.Key, key)) ?? [];

    private static bool IsUnder(string errorKey, string key) =>
        errorKey.Equals(key, StringComparison.OrdinalIgnoreCase)
        || (errorKey.Length > key.Length
            && errorKey.StartsWith(key, StringComparison.OrdinalIgnoreCase)
            && errorKey[key.Length] is '.' or '[');
}
