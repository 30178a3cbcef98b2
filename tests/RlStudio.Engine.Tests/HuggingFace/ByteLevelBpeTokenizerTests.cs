using RlStudio.Engine.Tokenization;

namespace RlStudio.Engine.Tests.HuggingFace;

public sealed class ByteLevelBpeTokenizerTests
{
    [Fact]
    public void Encode_LearnedMerges_FrequentWordIsOneToken()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(TinyBpe.Json());
        var ids = tokenizer.Encode(" the");
        Assert.Single(ids);
        Assert.True(ids[0] >= 256, "a merged token follows the 256 byte tokens");
    }

    [Theory]
    [InlineData("the cat sat on the mat.")]
    [InlineData("héllo → 世界 42\nnew line  two spaces")]
    [InlineData("")]
    public void Decode_Encode_RoundTrips(string text)
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(TinyBpe.Json());
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text).Select(i => (long)i)));
    }

    [Fact]
    public void Encode_SpecialTokenInText_IsMatchedLiterallyAndSkippedByDecode()
    {
        var tokenizer = ByteLevelBpeTokenizer.FromJson(TinyBpe.Json());
        var ids = tokenizer.Encode("<|im_start|>the cat<|im_end|>");
        var imStart = tokenizer.VocabularySize - 2;
        Assert.Equal(imStart, ids[0]);
        Assert.Equal(imStart + 1, ids[^1]);
        Assert.Equal("the cat", tokenizer.Decode(ids.Select(i => (long)i)));
        Assert.Equal(tokenizer.VocabularySize - 3, tokenizer.EosId);   // <|endoftext|> found by name
        Assert.Empty(tokenizer.PromptPrefix);
    }

    [Fact]
    public void Encode_ByteTokenizerAsJson_GivesByteTokenizerIds()
    {
        var json = ByteLevelBpeJson.Write([], ["<|pad|>", "<|bos|>", "<|eos|>"], "<|bos|>");
        var tokenizer = ByteLevelBpeTokenizer.FromJson(json, eosId: ByteTokenizer.Eos, padId: ByteTokenizer.Pad);
        const string text = "12+7= héllo";
        Assert.Equal(ByteTokenizer.EncodePrompt(text), tokenizer.EncodePrompt(text));
        Assert.Equal(ByteTokenizer.VocabularySize, tokenizer.VocabularySize);
        long[] generated = [.. ByteTokenizer.Encode("19"), ByteTokenizer.Eos, 65];
        Assert.Equal("19", tokenizer.Decode(generated));
    }

    [Fact]
    public void Encode_MergesAsPairArrays_SameAsStrings()
    {
        var json = TinyBpe.Json();
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var merges = node["model"]!["merges"]!.AsArray().Select(m => ((string)m!).Split(' ')).ToArray();
        node["model"]!["merges"] = new System.Text.Json.Nodes.JsonArray(merges
            .Select(m => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonArray(m[0], m[1])).ToArray());
        var fromStrings = ByteLevelBpeTokenizer.FromJson(json);
        var fromPairs = ByteLevelBpeTokenizer.FromJson(node.ToJsonString());
        Assert.Equal(fromStrings.Encode(TinyBpe.Corpus), fromPairs.Encode(TinyBpe.Corpus));
    }
}
