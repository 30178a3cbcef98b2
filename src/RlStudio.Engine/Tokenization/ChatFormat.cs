namespace RlStudio.Engine.Tokenization;

/// <summary>
/// How a conversation's turns are laid out for a tokenizer: the chat format of the base model when its tokenizer has one,
/// else plain text. Environment messages go in the user role and the agent's turns are the assistant's: an
/// <see cref="Observation"/> is the user message plus the header that opens the assistant's reply, so the model's
/// sampled turn (ending with EOS) follows it directly. Recognized from the tokenizer's special tokens (Hugging Face
/// chat templates are Jinja programs; rather than run them, the two families nearly all byte-level BPE chat models use
/// are written out here):
/// <list type="bullet">
/// <item><b>ChatML</b> (Qwen and others; <c>&lt;|im_start|&gt;</c>, <c>&lt;|im_end|&gt;</c>):
/// <c>&lt;|im_start|&gt;user\n{text}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>, a newline after each agent turn's end token.</item>
/// <item><b>Llama 3</b> (<c>&lt;|start_header_id|&gt;</c>, <c>&lt;|end_header_id|&gt;</c>, <c>&lt;|eot_id|&gt;</c>):
/// <c>&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{text}&lt;|eot_id|&gt;&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n</c>.</item>
/// <item><b>Plain</b> (presets' byte tokenizer, base models without chat tokens): the first message with the prompt prefix,
/// later ones as <c>\n{text}\n</c>.</item>
/// </list>
/// The first message of a formatted conversation also gets the tokenizer's prompt prefix (e.g. Llama 3's BOS).
/// </summary>
public sealed class ChatFormat
{
    public static readonly ChatFormat Plain = new("plain", first: null, later: text => "\n" + text + "\n");

    public static readonly ChatFormat ChatMl = new("chatml",
        first: text => $"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n",
        later: text => $"\n<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n",
        "<|im_start|>", "<|im_end|>");

    public static readonly ChatFormat Llama3 = new("llama3",
        first: text => $"<|start_header_id|>user<|end_header_id|>\n\n{text}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        later: text => $"<|start_header_id|>user<|end_header_id|>\n\n{text}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");

    private static readonly ChatFormat[] Formatted = [ChatMl, Llama3];

    private readonly Func<string, string>? first;
    private readonly Func<string, string> later;
    private readonly string[] markers;

    private ChatFormat(string name, Func<string, string>? first, Func<string, string> later, params string[] markers)
    {
        Name = name;
        this.first = first;
        this.later = later;
        this.markers = markers;
    }

    /// <summary><c>chatml</c>, <c>llama3</c> or <c>plain</c>.</summary>
    public string Name { get; }

    /// <summary>The format of <paramref name="tokenizer"/>: the first whose special tokens it has, else <see cref="Plain"/>.</summary>
    public static ChatFormat Of(ITokenizer tokenizer) => tokenizer is ByteLevelBpeTokenizer bpe ? bpe.ChatFormat : Plain;

    /// <summary>Looks the formats' special tokens up in <paramref name="tokenizer"/> (it keeps the answer: <see cref="ByteLevelBpeTokenizer.ChatFormat"/>).</summary>
    internal static ChatFormat Detect(ByteLevelBpeTokenizer tokenizer) =>
        Formatted.FirstOrDefault(f => f.markers.All(m => tokenizer.SpecialTokenId(m) is not null)) ?? Plain;

    /// <summary>An environment message's tokens, up to where the agent's turn begins.</summary>
    public int[] Observation(ITokenizer tokenizer, string text, bool isFirst) =>
        isFirst ? first is null ? tokenizer.EncodePrompt(text) : tokenizer.EncodePrompt(first(text)) : tokenizer.Encode(later(text));

    public override string ToString() => Name;
}
