namespace RlStudio.Web.Labeling;

/// <summary>The ranges and defaults of a comparison batch's settings (one place for the API, the dialog and the docs).</summary>
public static class ComparisonBatchRules
{
    public const int MaxNameLength = 200;
    public const int MaxGuidelinesLength = 20_000;
    public const int MaxRationaleLength = 4_000;

    public const int DefaultOverlap = 2;
    public const int MaxOverlap = 10;

    public const int DefaultItems = 50;
    public const int MaxItems = 5_000;

    public const double DefaultTemperature = 1.0;
    public const double MaxTemperature = 10;
    public const double DefaultTopP = 1.0;
    public const int DefaultMaxNewTokens = 32;
    public const int MaxNewTokens = 2048;

    /// <summary>Imported items (JSONL lines) per batch.</summary>
    public const int MaxImportedItems = 20_000;
}
