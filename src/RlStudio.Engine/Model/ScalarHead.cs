using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlStudio.Engine.Model;

/// <summary>
/// A linear map from the decoder's final hidden state to one number per position: PPO's value head and the
/// reward model's score head (<c>score</c>, as in Hugging Face's *ForSequenceClassification).
/// </summary>
public sealed class ScalarHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear score;

    public ScalarHead(int dModel, string name = "ScalarHead") : base(name)
    {
        score = nn.Linear(dModel, 1, hasBias: true);
        RegisterComponents();
    }

    /// <summary>Small seeded init: weight N(0, 1/(d+1)), bias 0 (as TRL's value heads).</summary>
    public void InitializeWeights(Generator generator)
    {
        using var noGrad = no_grad();
        var weight = score.weight!;
        using var noise = randn(weight.shape, dtype: weight.dtype, generator: generator);
        using var scaled = noise / Math.Sqrt(weight.shape[1] + 1);
        weight.copy_(scaled);
        score.bias!.zero_();
    }

    /// <summary>(B, T, C) hidden states → (B, T) scalars.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scores = score.call(hidden);       // (B, T, 1)
        return scores.squeeze(-1);
    }

    /// <summary>The scalar at each row's <paramref name="lastIndex"/> position: (B, T, C), (B) → (B).</summary>
    public Tensor AtPositions(Tensor hidden, Tensor lastIndex)
    {
        using var index = lastIndex.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);   // (B, 1, C)
        using var picked = hidden.gather(1, index).squeeze(1);                         // (B, C)
        using var scores = score.call(picked);                                          // (B, 1)
        return scores.squeeze(-1);
    }
}
