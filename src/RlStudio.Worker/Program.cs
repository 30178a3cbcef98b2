using RlStudio.Worker.Hosting;

// A worker node: a Hangfire server on this node's queues that trains runs with the engine and reports
// to the web host's ingest API. Configuration: ConnectionStrings:RlStudio (Hangfire storage) and the
// RlStudio section (WebUrl, WorkerName, Queues, Concurrency, ApiKey) — see WorkerOptions.
var builder = Host.CreateApplicationBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("RlStudio")
    ?? throw new InvalidOperationException("ConnectionStrings:RlStudio is required (env ConnectionStrings__RlStudio).");
var options = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();

builder.Services.AddWorkerNode(builder.Configuration);
builder.Services.AddTrainingServer(connectionString, options);

builder.Build().Run();
