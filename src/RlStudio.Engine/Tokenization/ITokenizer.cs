namespace RlStudio.Engine.Tokenization;

/// <summary>Text ↔ token ids for a model; the byte tokenizer and Hugging Face byte-level BPE are interchangeable.</summary>
public interface ITokenizer
{
    /// <summary>Ids this tokenizer can produce (a model's vocabulary may be larger, never smaller).</summary>
    int VocabularySize { get; }

    /// <summary>Id used to pad batches (never attended to).</summary>
    int PadId { get; }

    /// <summary>Id that ends a completion.</summary>
    int EosId { get; }

    /// <summary>The text's tokens, no special tokens added.</summary>
    int[] Encode(string text);

    /// <summary>The text's tokens with the tokenizer's prompt prefix (e.g. BOS) when it has one.</summary>
    int[] EncodePrompt(string text);

    /// <summary>Text of the ids up to the first EOS, special tokens skipped; invalid UTF-8 becomes U+FFFD.</summary>
    string Decode(IEnumerable<long> ids);
}
