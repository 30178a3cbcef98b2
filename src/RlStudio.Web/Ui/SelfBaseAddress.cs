using RlStudio.Web.Hosting;

namespace RlStudio.Web.Ui;

/// <summary>
/// The base address the UI uses to call this host's own REST API: the <c>RlStudio:Ui:ApiBaseAddress</c>
/// setting if given, else the server's own listening address (<see cref="ServerUrls"/>: http preferred,
/// wildcard hosts mapped to loopback). Resolved when a client is created, so a port chosen at start (port 0)
/// is seen. Thread-safe: reads only.
/// </summary>
public sealed class SelfBaseAddress(ServerUrls urls, IConfiguration configuration)
{
    public const string SettingKey = "RlStudio:Ui:ApiBaseAddress";

    public Uri Resolve()
    {
        var configured = configuration[SettingKey];
        var address = !string.IsNullOrWhiteSpace(configured) ? new Uri(configured)
            : urls.BaseAddress ?? throw new InvalidOperationException(
                $"The server reports no listening address; set {SettingKey} to the URL the UI should call.");
        return address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
    }
}
