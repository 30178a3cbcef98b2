using RlStudio.Contracts.Datasets;

namespace RlStudio.Data.Storage;

/// <summary>A new version would change what a dataset holds (prompts vs preference pairs).</summary>
public sealed class DatasetKindMismatchException(string name, DatasetKind existing, DatasetKind attempted)
    : InvalidOperationException($"dataset '{name}' holds {Describe(existing)}; a file of {Describe(attempted)} cannot be a new version of it (use another name)")
{
    public DatasetKind Existing { get; } = existing;

    public DatasetKind Attempted { get; } = attempted;

    private static string Describe(DatasetKind kind) => kind switch
    {
        DatasetKind.Prompts => "prompts",
        DatasetKind.Preferences => "preference pairs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
