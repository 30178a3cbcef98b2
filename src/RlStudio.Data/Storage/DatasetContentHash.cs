using System.Security.Cryptography;
using System.Text.Json;

namespace RlStudio.Data.Storage;

/// <summary>
/// The identity of a dataset version's content: lowercase hex SHA-256 over one canonical JSON line per item
/// (<c>{"prompt":…,"reference":…,"metadata":…}</c>, plus <c>"chosen"</c> and <c>"rejected"</c> for preference
/// items, in order, each followed by <c>\n</c>).
/// </summary>
public static class DatasetContentHash
{
    public static string Compute(IEnumerable<NewDatasetItem> items)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new MemoryStream();
        foreach (var item in items)
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("prompt", item.Prompt);
                writer.WriteString("reference", item.Reference);
                if (item.Chosen is not null || item.Rejected is not null)
                {
                    writer.WriteString("chosen", item.Chosen);
                    writer.WriteString("rejected", item.Rejected);
                }
                if (item.Metadata is null)
                {
                    writer.WriteNull("metadata");
                }
                else
                {
                    writer.WritePropertyName("metadata");
                    writer.WriteRawValue(item.Metadata);
                }
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            hash.AppendData(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
