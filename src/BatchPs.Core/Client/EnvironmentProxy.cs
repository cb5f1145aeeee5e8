using System.Net;

namespace BatchPs.Core.Client;

/// <summary>
/// The proxy named by the environment, as curl and .NET read it: <c>HTTPS_PROXY</c> for https URLs,
/// <c>HTTP_PROXY</c> for http URLs, <c>ALL_PROXY</c> for both (lower-case names too), and
/// <c>NO_PROXY</c> (comma-separated hosts, <c>.domain</c> suffixes, <c>host:port</c>, or <c>*</c>).
/// Loopback addresses never go through a proxy. .NET Framework ignores these variables on its own,
/// so the client sets this proxy explicitly on every runtime.
/// </summary>
public sealed class EnvironmentProxy : IWebProxy
{
    private static readonly char[] NoProxySeparators = { ',', ' ' };
    private readonly Uri? _httpsProxy;
    private readonly Uri? _httpProxy;
    private readonly string[] _noProxy;

    /// <summary>Creates a proxy from explicit values (the same syntax as the variables).</summary>
    public EnvironmentProxy(string? httpsProxy, string? httpProxy, string? noProxy)
    {
        _httpsProxy = ParseProxy(httpsProxy, "HTTPS_PROXY");
        _httpProxy = ParseProxy(httpProxy, "HTTP_PROXY");
        _noProxy = (noProxy ?? "")
            .Split(NoProxySeparators, StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Trim().ToLowerInvariant())
            .ToArray();
    }

    /// <summary>
    /// The environment's proxy when any proxy variable is set; otherwise null, which leaves the
    /// platform's default: the system proxy (Windows settings, or .NET's own environment reading).
    /// </summary>
    public static IWebProxy? Create()
    {
        var all = Read("ALL_PROXY");
        var https = Read("HTTPS_PROXY") ?? all;
        var http = Read("HTTP_PROXY") ?? all;
        if (https is null && http is null) return null;
        return new EnvironmentProxy(https, http, Read("NO_PROXY"));
    }

    /// <inheritdoc />
    public ICredentials? Credentials { get; set; }

    /// <inheritdoc />
    public Uri? GetProxy(Uri destination)
    {
        if (IsBypassed(destination)) return destination;
        var proxy = destination.Scheme == Uri.UriSchemeHttps ? _httpsProxy : _httpProxy;
        return proxy ?? destination;
    }

    /// <inheritdoc />
    public bool IsBypassed(Uri host)
    {
        if (host.IsLoopback) return true;
        var proxy = host.Scheme == Uri.UriSchemeHttps ? _httpsProxy : _httpProxy;
        if (proxy is null) return true;
        var name = host.IdnHost.Trim('[', ']').ToLowerInvariant();
        foreach (var entry in _noProxy)
        {
            if (entry == "*") return true;
            var pattern = entry;
            var colon = pattern.LastIndexOf(':');
            if (colon > 0 && pattern.IndexOf(':') == colon && int.TryParse(pattern.Substring(colon + 1), out var port))
            {
                if (port != host.Port) continue;
                pattern = pattern.Substring(0, colon);
            }
            pattern = pattern.Trim('[', ']').TrimStart('*').TrimStart('.');
            if (pattern.Length == 0) continue;
            if (name == pattern || name.EndsWith("." + pattern, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static string? Read(string name)
    {
        var value = Environment.GetEnvironmentVariable(name.ToLowerInvariant());
        if (string.IsNullOrWhiteSpace(value)) value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }

    private static Uri? ParseProxy(string? value, string variable)
    {
        if (value is null || value.Trim().Length == 0) return null;
        var text = value.Trim();
        if (!text.Contains("://")) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new ArgumentException($"{variable} '{value}' is not a proxy URL. Use the form http://proxy.example.com:8080, or unset the variable.");
        return uri;
    }
}
