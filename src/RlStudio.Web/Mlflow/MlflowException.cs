namespace RlStudio.Web.Mlflow;

/// <summary>An MLflow API error: its <c>error_code</c>, message and HTTP status, answered as <c>{"error_code", "message"}</c>.</summary>
public sealed class MlflowException(string errorCode, string message, int status) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
    public int Status { get; } = status;

    public static MlflowException Invalid(string message) => new("INVALID_PARAMETER_VALUE", message, StatusCodes.Status400BadRequest);

    public static MlflowException NotFound(string message) => new("RESOURCE_DOES_NOT_EXIST", message, StatusCodes.Status404NotFound);

    public static MlflowException AlreadyExists(string message) => new("RESOURCE_ALREADY_EXISTS", message, StatusCodes.Status400BadRequest);

    public static MlflowException Forbidden(string message) => new("PERMISSION_DENIED", message, StatusCodes.Status403Forbidden);

    public IResult ToResult() => Results.Json(new { error_code = ErrorCode, message = Message }, MlflowJson.Options, statusCode: Status);
}
