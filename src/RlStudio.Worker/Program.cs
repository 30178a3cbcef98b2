using RlStudio.Worker.Hosting;
using RlStudio.Worker.Training;

// A worker node: a Hangfire server on this node's queues whose jobs train runs, each in a child process of this
// program started as `RlStudio.Worker train RUN_ID` (so a crash in libtorch cannot take the node down). Both report
// to the web host's ingest API. Configuration: ConnectionStrings:RlStudio (Hangfire storage, node only) and the
// RlStudio section (WebUrl, WorkerName, Queues, Concurrency, ApiKey) — see WorkerOptions.
if (args is ["train", var id, ..] && long.TryParse(id, out var runId))
{
    return await TrainingCommand.RunAsync(runId, args[2..]);
}

var builder = Host.CreateApplicationBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("RlStudio")
    ?? throw new InvalidOperationException("ConnectionStrings:RlStudio is required (env ConnectionStrings__RlStudio).");
var options = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();

builder.Services.AddWorkerNode(builder.Configuration);
builder.Services.AddTrainingServer(connectionString, options);

builder.Build().Run();
return 0;
