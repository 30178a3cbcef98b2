using System.Text.RegularExpressions;

namespace RlStudio.Web.Runs;

/// <summary>
/// What a user writes about a run, beside its spec: free-form <c>notes</c> and short <c>tags</c> to find and group runs
/// by. Checked the same way when a run is created and when it is edited.
/// </summary>
public static partial class RunLabels
{
    public const int MaxNotesLength = 10_000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const string TagRule = "1–50 letters, digits or _ - . : / +";

    /// <summary>Notes trimmed; empty means none (null).</summary>
    public static string? Notes(string? notes, ValidationErrors errors)
    {
        var trimmed = notes?.Trim();
        if (trimmed is { Length: > MaxNotesLength })
        {
            errors.Add("notes", $"at most {MaxNotesLength} characters (got {trimmed.Length})");
        }
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>Tags trimmed, each once, in the order given; every bad one named.</summary>
    public static List<string> Tags(IReadOnlyList<string?>? tags, ValidationErrors errors)
    {
        var result = new List<string>();
        if (tags is null)
        {
            return result;
        }
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i]?.Trim();
            if (string.IsNullOrEmpty(tag) || !TagPattern().IsMatch(tag))
            {
                errors.Add($"tags[{i}]", $"'{tags[i]}' is not a tag: {TagRule}");
            }
            else if (!result.Contains(tag, StringComparer.Ordinal))
            {
                result.Add(tag);
            }
        }
        if (result.Count > MaxTags)
        {
            errors.Add("tags", $"at most {MaxTags} tags (got {result.Count})");
        }
        return result;
    }

    [GeneratedRegex(@"^[\p{L}\p{N}_.:/+-]{1,50}$")]
    private static partial Regex TagPattern();
}
