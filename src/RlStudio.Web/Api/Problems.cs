using Microsoft.AspNetCore.Http.HttpResults;
using RlStudio.Web.Runs;

namespace RlStudio.Web.Api;

/// <summary>RFC 7807 answers used across the API.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult Unprocessable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot be processed");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ValidationProblem Invalid(ValidationErrors errors) => TypedResults.ValidationProblem(errors.ToDictionary());

    /// <summary>The failure of a non-Ok <see cref="Outcome{T}"/>.</summary>
    public static Results<ProblemHttpResult, ValidationProblem> From<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => NotFound(outcome.Message!),
        OutcomeKind.Forbidden => Forbidden(outcome.Message!),
        OutcomeKind.Conflict => Conflict(outcome.Message!),
        OutcomeKind.Unprocessable => Unprocessable(outcome.Message!),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(outcome.ErrorMap()),
        OutcomeKind.Ok => throw new ArgumentException("Not a failure.", nameof(outcome)),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, null),
    };

    /// <summary>201 with the value of an Ok outcome (at <paramref name="location"/>), else its failure.</summary>
    public static Results<Created<T>, ProblemHttpResult, ValidationProblem> CreatedOr<T>(Outcome<T> outcome, Func<T, string> location) =>
        outcome.Kind == OutcomeKind.Ok ? TypedResults.Created(location(outcome.Value!), outcome.Value) : Failure<Created<T>, T>(outcome);

    /// <summary>200 with the value of an Ok outcome, else its failure.</summary>
    public static Results<Ok<T>, ProblemHttpResult, ValidationProblem> OkOr<T>(Outcome<T> outcome) =>
        outcome.Kind == OutcomeKind.Ok ? TypedResults.Ok(outcome.Value!) : Failure<Ok<T>, T>(outcome);

    /// <summary>The failure of a non-Ok <see cref="Outcome{T}"/>, for a handler that answers <typeparamref name="TSuccess"/> otherwise.</summary>
    public static Results<TSuccess, ProblemHttpResult, ValidationProblem> Failure<TSuccess, T>(Outcome<T> outcome) where TSuccess : IResult =>
        From(outcome).Result switch
        {
            ProblemHttpResult problem => problem,
            ValidationProblem validation => validation,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
}
