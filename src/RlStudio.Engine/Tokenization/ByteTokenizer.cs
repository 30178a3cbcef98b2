using System.Text;

namespace RlStudio.Engine.Tokenization;

/// <summary>
/// Byte-level tokenizer: ids 0–255 are UTF-8 bytes, then PAD, BOS, EOS. Any text round-trips.
/// Static members for the engine's built-in models; <see cref="Instance"/> where an <see cref="ITokenizer"/> is wanted.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    public const int Pad = 256;
    public const int Bos = 257;
    public const int Eos = 258;
    public const int VocabularySize = 259;

    private ByteTokenizer() { }

    public static ByteTokenizer Instance { get; } = new();

    public static int[] Encode(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    /// <summary>BOS followed by the text's bytes.</summary>
    public static int[] EncodePrompt(string text) => [Bos, .. Encode(text)];

    /// <summary>Decodes byte ids up to the first EOS, skipping PAD/BOS; invalid UTF-8 becomes U+FFFD.</summary>
    public static string Decode(IEnumerable<long> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id == Eos) break;
            if (id is >= 0 and < 256) bytes.Add((byte)id);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    int ITokenizer.VocabularySize => VocabularySize;

    int ITokenizer.PadId => Pad;

    int ITokenizer.EosId => Eos;

    int[] ITokenizer.Encode(string text) => Encode(text);

    int[] ITokenizer.EncodePrompt(string text) => EncodePrompt(text);

    string ITokenizer.Decode(IEnumerable<long> ids) => Decode(ids);
}
