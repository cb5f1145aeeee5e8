namespace BatchPs.LocalStack.Http;

/// <summary>
/// The HTTP/1.1 framing Kestrel is told to refuse beyond its defaults. Kestrel accepts a bare LF as a line
/// end unless the process-wide AppContext switch below is on; with it, such a request is a 400 and the
/// connection closes. What Kestrel accepts and the application cannot see (a <c>Content-Length</c> with a
/// leading <c>+</c>) is listed in the README.
/// </summary>
internal static class HttpFraming
{
    /// <summary>Kestrel's switch (ASP.NET Core 8 and later): request and header lines must end with CR LF.</summary>
    public const string DisableLineFeedTerminatorsSwitch = "Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators";

    /// <summary>Turns the switch on; call it before Kestrel starts (it reads the switch when the server is built).</summary>
    public static void RefuseBareLineFeeds() => AppContext.SetSwitch(DisableLineFeedTerminatorsSwitch, true);
}
