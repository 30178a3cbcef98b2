using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace RlStudio.Engine.HuggingFace;

/// <summary>
/// The safetensors file format: u64 little-endian header length, a JSON header
/// <c>{name: {dtype, shape, data_offsets}}</c>, then the raw little-endian tensor bytes.
/// Reads F32, F16 and BF16 (as float32); writes F32.
/// </summary>
public static class Safetensors
{
    /// <summary>The tensor names in a file, without reading their data.</summary>
    public static IReadOnlyList<string> Names(string path)
    {
        using var file = File.OpenRead(path);
        return ReadHeader(file).header.Select(p => p.Key).Where(k => k != "__metadata__").ToArray();
    }

    /// <summary>Calls <paramref name="onTensor"/> with each tensor (float32, CPU; disposed afterwards) in file order.</summary>
    public static void Read(string path, Action<string, Tensor> onTensor)
    {
        using var file = File.OpenRead(path);
        var (header, dataStart) = ReadHeader(file);
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            var dtype = (string)node!["dtype"]!;
            var shape = node["shape"]!.AsArray().Select(d => (long)d!).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(o => (long)o!).ToArray();
            var bytes = new byte[offsets[1] - offsets[0]];
            file.Position = dataStart + offsets[0];
            file.ReadExactly(bytes);
            using var t = tensor(ToFloats(bytes, dtype, name), shape);
            onTensor(name, t);
        }
    }

    /// <summary>Writes the tensors as F32 in the given order, with optional string metadata.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is not null) header["__metadata__"] = new JsonObject(metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            var size = t.numel() * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;                       // data starts 8-byte aligned
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(json);
        for (var i = json.Length; i < padded; i++) file.WriteByte((byte)' ');
        foreach (var (_, t) in tensors)
        {
            using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
            file.Write(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
    }

    /// <summary>Bytes a tensor takes when written by <see cref="Write"/>.</summary>
    public static long SizeOf(Tensor t) => t.numel() * sizeof(float);

    private static (JsonObject header, long dataStart) ReadHeader(Stream file)
    {
        Span<byte> length = stackalloc byte[8];
        file.ReadExactly(length);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(length));
        var json = new byte[headerLength];
        file.ReadExactly(json);
        var header = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("Empty safetensors header.");
        return (header, 8 + headerLength);
    }

    private static float[] ToFloats(byte[] bytes, string dtype, string name)
    {
        switch (dtype)
        {
            case "F32":
                return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            case "BF16":
            {
                var halves = MemoryMarshal.Cast<byte, ushort>(bytes);
                var floats = new float[halves.Length];
                for (var i = 0; i < floats.Length; i++) floats[i] = BitConverter.Int32BitsToSingle(halves[i] << 16);
                return floats;
            }
            case "F16":
            {
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                var floats = new float[halves.Length];
                for (var i = 0; i < floats.Length; i++) floats[i] = (float)halves[i];
                return floats;
            }
            default:
                throw new NotSupportedException($"Tensor '{name}' has dtype {dtype}; only F32, F16 and BF16 are read.");
        }
    }
}
