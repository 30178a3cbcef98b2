using System.Net;

namespace RlStudio.Worker.Ingest;

/// <summary>The web host refused an ingest request; the message carries its ProblemDetails body.</summary>
public sealed class IngestException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
