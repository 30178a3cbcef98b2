namespace RlStudio.Engine.Algorithms;

/// <summary>How token losses of a batch of completions become one number.</summary>
public enum LossAggregation
{
    /// <summary>Mean over each completion's tokens, then over completions (GRPO paper).</summary>
    SequenceMean,
    /// <summary>Sum over all tokens / number of completion tokens (DAPO, BNPO).</summary>
    TokenMean,
    /// <summary>Sum over all tokens / (completions × max completion length) (Dr. GRPO).</summary>
    DrGrpo,
}
