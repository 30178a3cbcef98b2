using RlStudio.Web.Api;
using RlStudio.Web.Auth;
using RlStudio.Web.EmbeddedWorker;
using RlStudio.Web.Hosting;
using RlStudio.Web.Limits;
using RlStudio.Web.Live;
using RlStudio.Web.Ui;

var builder = WebApplication.CreateBuilder(args);
builder.AddRepositorySettings();

// PostgreSQL: ConnectionStrings:RlStudio, or an embedded cluster under RlStudio:DataDir (see RlStudioOptions).
await builder.AddRlStudioDatabaseAsync();
builder.Services.AddRlStudioHangfire();
builder.Services.AddRlStudioAuth();
builder.Services.AddRlStudioRateLimits();
builder.Services.AddRlStudioApi();
builder.Services.AddRlStudioLive();
builder.Services.AddRlStudioUi();
builder.AddRlStudioEmbeddedWorker();

var app = builder.Build();

app.UseRlStudioErrors();
app.UseRlStudioStaticFiles();
app.UseRlStudioAuth();
app.UseRateLimiter();
app.MapRlStudioApi();
app.MapRlStudioSignOut();
app.MapRlStudioLive();
app.MapRlStudioHangfireDashboard();
app.MapRlStudioUi();

await app.RunWithEmbeddedDatabaseAsync();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
