namespace RlStudio.Engine;

/// <summary>One preference pair: a prompt and the completion labelers preferred over the other (DPO, IPO, reward model).</summary>
public sealed record PreferenceExample(string Prompt, string Chosen, string Rejected);
