using System.Text.Json;
using RlStudio.Contracts.Datasets;
using RlStudio.Data.Entities;

namespace RlStudio.Web.Datasets;

/// <summary>
/// A dataset version back as JSONL, one object per item in file order: <c>prompt</c> and <c>reference</c>, or
/// <c>prompt</c>, <c>chosen</c> and <c>rejected</c>, or a task's <c>task</c>, then the line's other fields as they were stored (their values as
/// uploaded; PostgreSQL's JSONB may reorder their keys). Uploaded again, it gives the same items.
/// </summary>
public static class DatasetJsonlWriter
{
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public static async Task WriteAsync(Stream output, DatasetKind kind, IAsyncEnumerable<DatasetItem> items, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            json.WriteString(kind == DatasetKind.Tasks ? "task" : "prompt", item.Prompt);
            if (kind == DatasetKind.Preferences)
            {
                json.WriteString("chosen", item.Chosen);
                json.WriteString("rejected", item.Rejected);
            }
            else if (kind == DatasetKind.Prompts)
            {
                json.WriteString("reference", item.Reference);
            }
            if (item.Metadata is { } metadata)
            {
                using var extra = JsonDocument.Parse(metadata);
                foreach (var property in extra.RootElement.EnumerateObject())
                {
                    property.WriteTo(json);
                }
            }
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
            json.Reset();
            await output.WriteAsync(NewLine, cancellationToken);
        }
    }
}
