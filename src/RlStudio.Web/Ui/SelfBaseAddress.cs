using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RlStudio.Web.Ui;

/// <summary>
/// The base address the UI uses to call this host's own REST API: the <c>RlStudio:Ui:ApiBaseAddress</c>
/// setting if given, else the server's first listening address (http preferred, wildcard hosts mapped to
/// loopback). Resolved when a client is created, so a port chosen at start (port 0) is seen.
/// Thread-safe: reads only.
/// </summary>
public sealed class SelfBaseAddress(IServer server, IConfiguration configuration)
{
    public const string SettingKey = "RlStudio:Ui:ApiBaseAddress";

    public Uri Resolve()
    {
        var configured = configuration[SettingKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return WithTrailingSlash(new Uri(configured));
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException(
                $"The server reports no listening address; set {SettingKey} to the URL the UI should call.");
        return WithTrailingSlash(new Uri(ToLoopback(address)));
    }

    private static string ToLoopback(string address)
    {
        foreach (var wildcard in new[] { "://+:", "://*:", "://0.0.0.0:", "://[::]:" })
        {
            address = address.Replace(wildcard, "://localhost:", StringComparison.Ordinal);
        }

        return address;
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
