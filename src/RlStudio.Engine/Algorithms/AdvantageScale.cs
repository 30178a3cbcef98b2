namespace RlStudio.Engine.Algorithms;

/// <summary>How GRPO divides the group-centred rewards.</summary>
public enum AdvantageScale
{
    /// <summary>By the group's unbiased std (GRPO, TRL default).</summary>
    Group,
    /// <summary>By the unbiased std of every reward in the batch.</summary>
    Batch,
    /// <summary>Not at all (Dr. GRPO): A = r − mean(group).</summary>
    None,
}
