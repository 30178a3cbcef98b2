using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Datasets;

/// <summary>
/// What a dataset holds, detected on upload: <c>prompts</c> (each line <c>prompt</c> + <c>reference</c>: SFT and the
/// policy-gradient algorithms) or <c>preferences</c> (<c>prompt</c> + <c>chosen</c> + <c>rejected</c>: DPO, IPO, reward model).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DatasetKind>))]
public enum DatasetKind
{
    Prompts,
    Preferences,
}
