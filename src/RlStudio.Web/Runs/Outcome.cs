namespace RlStudio.Web.Runs;

/// <summary>The result of a state change: a value, or why not (mapped to 404/403/409/422/400 by the API).</summary>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, string? Message, string? Field = null, ValidationErrors? Errors = null)
{
    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value, null);
    public static Outcome<T> NotFound(string message) => new(OutcomeKind.NotFound, default, message);
    public static Outcome<T> Forbidden(string message) => new(OutcomeKind.Forbidden, default, message);
    public static Outcome<T> Conflict(string message) => new(OutcomeKind.Conflict, default, message);
    public static Outcome<T> Unprocessable(string message) => new(OutcomeKind.Unprocessable, default, message);
    public static Outcome<T> Invalid(string field, string message) => new(OutcomeKind.Invalid, default, message, field);
    public static Outcome<T> Invalid(ValidationErrors errors) => new(OutcomeKind.Invalid, default, null, null, errors);

    /// <summary>The errors of an <see cref="OutcomeKind.Invalid"/> outcome, field → messages.</summary>
    public Dictionary<string, string[]> ErrorMap() =>
        Errors?.ToDictionary() ?? new Dictionary<string, string[]> { [Field ?? ""] = [Message ?? "invalid"] };
}

public enum OutcomeKind
{
    Ok,
    NotFound,
    Forbidden,
    Conflict,
    Unprocessable,
    Invalid,
}
