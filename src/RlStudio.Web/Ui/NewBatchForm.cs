using RlStudio.Contracts.Labeling;
using RlStudio.Contracts.Runs;
using RlStudio.Web.Labeling;

namespace RlStudio.Web.Ui;

/// <summary>
/// What the New Batch dialog edits: a batch sampled on a worker node (a prompt dataset, one source sampled twice or two
/// sources) with its labeling settings, turned into the REST request (<see cref="ToRequest"/>). Defaults come from
/// <see cref="ComparisonBatchRules"/>.
/// </summary>
public sealed class NewBatchForm
{
    public enum SourceKind { None, Run, Checkpoint, Preset, ModelFolder }

    /// <summary>One model: what kind, and the run id, checkpoint id, preset or folder.</summary>
    public sealed class Source(SourceKind kind)
    {
        public SourceKind Kind { get; set; } = kind;
        public long? Id { get; set; }
        public string Preset { get; set; } = BaseModelSpec.Presets[0];
        public string ModelPath { get; set; } = "";

        public ComparisonSource? ToRequest() => Kind switch
        {
            SourceKind.Run => new ComparisonSource(RunId: Id),
            SourceKind.Checkpoint => new ComparisonSource(CheckpointId: Id),
            SourceKind.Preset => new ComparisonSource(Preset: Preset),
            SourceKind.ModelFolder => new ComparisonSource(ModelPath: ModelPath),
            _ => null,
        };
    }

    public string Name { get; set; } = $"batch-{DateTime.UtcNow:yyyyMMdd-HHmm}";
    public string? Dataset { get; set; }
    public Source First { get; } = new(SourceKind.Run);
    public Source Second { get; } = new(SourceKind.None);
    public int Items { get; set; } = ComparisonBatchRules.DefaultItems;
    public int Overlap { get; set; } = ComparisonBatchRules.DefaultOverlap;
    public double Temperature { get; set; } = ComparisonBatchRules.DefaultTemperature;
    public double TopP { get; set; } = ComparisonBatchRules.DefaultTopP;
    public int MaxNewTokens { get; set; } = ComparisonBatchRules.DefaultMaxNewTokens;
    public string Queue { get; set; } = Runs.RunRequestValidator.DefaultQueue;

    /// <summary>Account names, comma-separated; blank: every account that may label.</summary>
    public string Labelers { get; set; } = "";

    public bool AllowTies { get; set; } = true;
    public bool AllowBothBad { get; set; } = true;
    public string Guidelines { get; set; } = "";

    public CreateComparisonBatchRequest ToRequest()
    {
        var sources = new[] { First.ToRequest(), Second.ToRequest() }.OfType<ComparisonSource>().ToList();
        var labelers = Labelers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new CreateComparisonBatchRequest(Name, Dataset, sources, Overlap, string.IsNullOrWhiteSpace(Guidelines) ? null : Guidelines,
            labelers.Length == 0 ? null : labelers, AllowTies, AllowBothBad, Items, Temperature, TopP, MaxNewTokens, Queue);
    }
}
