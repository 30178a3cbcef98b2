namespace RlStudio.Engine;

/// <summary>One training example: the prompt the model sees and the reference answer rewards compare to.</summary>
public sealed record PromptExample(string Prompt, string Reference);
