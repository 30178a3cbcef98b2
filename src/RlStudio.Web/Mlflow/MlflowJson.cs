using System.Text.Json;
using System.Text.Json.Serialization;

namespace RlStudio.Web.Mlflow;

/// <summary>
/// MLflow's JSON: snake_case names, unset fields left out, and int64 fields read from numbers or strings (protobuf's JSON,
/// which MLflow's Python client sends, writes them as strings).
/// </summary>
public static class MlflowJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A request body, or the MLflow error naming why it cannot be read.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken)
                   ?? throw MlflowException.Invalid("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw MlflowException.Invalid($"Malformed request body{(e.Path is { Length: > 1 } path ? $" at {path}" : "")}: {e.Message}");
        }
    }

    public static IResult Ok(object value) => Results.Json(value, Options);
}
