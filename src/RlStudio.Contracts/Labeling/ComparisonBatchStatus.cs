using System.Text.Json.Serialization;

namespace RlStudio.Contracts.Labeling;

/// <summary>A batch is Sampling (a worker is writing its items), Ready to label, or Failed (with its error).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonBatchStatus>))]
public enum ComparisonBatchStatus { Sampling, Ready, Failed }
