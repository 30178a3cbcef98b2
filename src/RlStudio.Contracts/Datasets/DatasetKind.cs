using System.Text.Json.Serialization;
using RlStudio.Contracts.Json;

namespace RlStudio.Contracts.Datasets;

/// <summary>
/// What a dataset holds, detected on upload: <c>prompts</c> (each line <c>prompt</c> + <c>reference</c>: SFT and the
/// policy-gradient algorithms), <c>preferences</c> (<c>prompt</c> + <c>chosen</c> + <c>rejected</c>: DPO, IPO, reward
/// model) or <c>tasks</c> (each line an environment task: <c>env</c>, <c>task</c>, <c>seed</c>, <c>parameters</c>, and
/// optionally a <c>demonstration</c>: agentic runs of SFT and the policy-gradient algorithms).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DatasetKind>))]
public enum DatasetKind
{
    Prompts,
    Preferences,
    Tasks,
}
