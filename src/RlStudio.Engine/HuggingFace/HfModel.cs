using RlStudio.Engine.Model;
using RlStudio.Engine.Tokenization;

namespace RlStudio.Engine.HuggingFace;

/// <summary>A model and tokenizer read from a Hugging Face folder; owns the model.</summary>
public sealed record HfModel(CausalLm Model, ITokenizer Tokenizer, HfModelConfig Config) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
