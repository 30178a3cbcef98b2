namespace RlStudio.Contracts.Jobs;

/// <summary>
/// The Hangfire job that writes a stored checkpoint as a Hugging Face model folder (config.json, model.safetensors,
/// tokenizer.json; LoRA adapters merged) on the disk of the worker that runs it. Safe to run twice (it overwrites).
/// </summary>
public interface IExportCheckpointJob
{
    Task ExportAsync(long checkpointId, string folder, CancellationToken cancellationToken);
}
