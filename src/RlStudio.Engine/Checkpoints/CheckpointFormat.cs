using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RlStudio.Engine.Model;
using static TorchSharp.torch;

namespace RlStudio.Engine.Checkpoints;

/// <summary>
/// Checkpoint layout: magic "RLSTCKPT", int32 version, length-prefixed UTF-8 JSON <see cref="CheckpointHeader"/>
/// (model config incl. attention bias and LoRA, options, and the tokenizer.json text of a non-byte tokenizer),
/// policy weights (<c>Module.save</c>), optional scalar-head weights, AdamW state, optional reference weights,
/// sampling-generator state.
/// A *base* load reads only the header and the policy weights.
/// </summary>
public static class CheckpointFormat
{
    public const int Version = 1;
    private static readonly byte[] Magic = "RLSTCKPT"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void WriteHeader(BinaryWriter writer, CheckpointHeader header)
    {
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(JsonSerializer.Serialize(header, Json));
    }

    public static CheckpointHeader ReadHeader(BinaryReader reader)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException("Not an RL Studio checkpoint (bad magic).");
        var version = reader.ReadInt32();
        if (version != Version)
            throw new InvalidDataException($"Checkpoint format version {version} is not supported (expected {Version}).");
        return JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString(), Json)
            ?? throw new InvalidDataException("Checkpoint header is empty.");
    }

    /// <summary>Builds a CPU model of the header's config and reads the next weights section into it.</summary>
    public static CausalLm ReadModel(BinaryReader reader, ModelConfig config)
    {
        var model = new CausalLm(config);
        model.load(reader, strict: true);
        return model;
    }

    /// <summary>Builds a CPU scalar head for <paramref name="config"/> and reads the next weights section into it.</summary>
    public static ScalarHead ReadHead(BinaryReader reader, ModelConfig config)
    {
        var head = new ScalarHead(config.DModel);
        head.load(reader, strict: true);
        return head;
    }

    public static void WriteGeneratorState(BinaryWriter writer, Generator generator)
    {
        using var state = generator.get_state();
        using var cpu = state.cpu();
        var bytes = cpu.data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static void ReadGeneratorState(BinaryReader reader, Generator generator)
    {
        var length = reader.ReadInt32();
        var bytes = reader.ReadBytes(length);
        using var state = tensor(bytes, dtype: ScalarType.Byte);
        generator.set_state(state);
    }

    /// <summary>
    /// Reads the header and policy weights from a stream (the rest is ignored): a checkpoint used as a base model.
    /// A LoRA run's policy comes back with its adapters; <c>header.CreateTokenizer()</c> gives the run's tokenizer.
    /// </summary>
    public static (CheckpointHeader Header, CausalLm Model) ReadBase(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var header = ReadHeader(reader);
        return (header, ReadModel(reader, header.Model));
    }
}
