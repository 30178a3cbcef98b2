using RlStudio.Engine.Tokenization;
using static TorchSharp.torch;

namespace RlStudio.Engine.Sampling;

/// <summary>Turns ragged token lists into padded (B, T) tensors with masks and positions.</summary>
public static class PaddedBatch
{
    /// <summary>Left-pads with <paramref name="pad"/> (default the byte tokenizer's PAD) so every prompt ends at the same column: (tokens long, mask bool), both (B, P).</summary>
    public static (Tensor Tokens, Tensor Mask) LeftPad(IReadOnlyList<int[]> rows, Device device, int pad = ByteTokenizer.Pad)
    {
        var width = rows.Max(r => r.Length);
        var tokens = new long[rows.Count * width];
        var mask = new bool[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            var start = width - rows[i].Length;
            for (var j = 0; j < width; j++)
            {
                var inside = j >= start;
                tokens[i * width + j] = inside ? rows[i][j - start] : pad;
                mask[i * width + j] = inside;
            }
        }
        return (tensor(tokens, [rows.Count, width]).to(device), tensor(mask, [rows.Count, width]).to(device));
    }

    /// <summary>Right-pads with PAD: (tokens long, mask bool), both (B, T).</summary>
    public static (Tensor Tokens, Tensor Mask) RightPad(IReadOnlyList<int[]> rows, Device device, int pad = ByteTokenizer.Pad)
    {
        var width = rows.Max(r => r.Length);
        var tokens = new long[rows.Count * width];
        var mask = new bool[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var j = 0; j < width; j++)
            {
                var inside = j < rows[i].Length;
                tokens[i * width + j] = inside ? rows[i][j] : pad;
                mask[i * width + j] = inside;
            }
        }
        return (tensor(tokens, [rows.Count, width]).to(device), tensor(mask, [rows.Count, width]).to(device));
    }

    /// <summary>Position ids that count only real tokens, so a left-padded row starts at 0: cumsum(mask) − 1, floored at 0.</summary>
    public static Tensor Positions(Tensor mask)
    {
        using var counts = mask.to(ScalarType.Int64).cumsum(1);
        using var shifted = counts - 1;
        return shifted.clamp_min(0);
    }
}
