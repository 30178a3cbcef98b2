using System.Text.Json.Nodes;

namespace RlStudio.Contracts.Runs;

/// <summary>
/// Body of <c>POST /api/runs/{id}/resume</c> (optional): settings to change before continuing from the newest checkpoint,
/// e.g. <c>{"settings": {"learningRate": 5e-5}}</c> after a divergence; the rest keep their values.
/// </summary>
public sealed record ResumeRunRequest(JsonObject? Settings = null);
