using DiffPlex;
using DiffPlex.Chunkers;

namespace RlStudio.Web.Ui;

/// <summary>
/// Two texts side by side with the words only one of them has marked: each side as a list of pieces (words and the
/// spaces between them), a piece <see cref="Piece.Changed"/> when the other side lacks it there. Word-level diff by DiffPlex.
/// </summary>
public static class TextDiff
{
    public sealed record Piece(string Text, bool Changed);

    public static (IReadOnlyList<Piece> Left, IReadOnlyList<Piece> Right) Words(string left, string right)
    {
        var result = Differ.Instance.CreateDiffs(left, right, ignoreWhiteSpace: false, ignoreCase: false, new DelimiterChunker([' ', '\t', '\n', '\r']));
        var leftChanged = new bool[result.PiecesOld.Count];
        var rightChanged = new bool[result.PiecesNew.Count];
        foreach (var block in result.DiffBlocks)
        {
            for (var i = 0; i < block.DeleteCountA; i++) leftChanged[block.DeleteStartA + i] = true;
            for (var i = 0; i < block.InsertCountB; i++) rightChanged[block.InsertStartB + i] = true;
        }
        return (Pieces(result.PiecesOld, leftChanged), Pieces(result.PiecesNew, rightChanged));
    }

    /// <summary>Neighbouring pieces with the same mark merged, and whitespace never marked (it would mark runs of blanks).</summary>
    private static List<Piece> Pieces(IReadOnlyList<string> pieces, bool[] changed)
    {
        var merged = new List<Piece>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var mark = changed[i] && !string.IsNullOrWhiteSpace(pieces[i]);
            if (merged.Count > 0 && merged[^1].Changed == mark) merged[^1] = merged[^1] with { Text = merged[^1].Text + pieces[i] };
            else merged.Add(new Piece(pieces[i], mark));
        }
        return merged;
    }
}
