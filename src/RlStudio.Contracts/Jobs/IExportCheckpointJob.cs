namespace RlStudio.Contracts.Jobs;

/// <summary>
/// The Hangfire job that writes a stored checkpoint as a Hugging Face model folder (config.json, model.safetensors,
/// tokenizer.json; LoRA adapters merged) on the disk of the worker that runs it. Reports its progress on export <c>exportId</c> through the ingest API. Safe to run twice (it overwrites).
/// </summary>
public interface IExportCheckpointJob
{
    Task ExportAsync(long exportId, long checkpointId, string folder, CancellationToken cancellationToken);
}
