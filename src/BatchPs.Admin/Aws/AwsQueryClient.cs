using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace BatchPs.Admin.Aws;

/// <summary>
/// The AWS query protocol (CloudFormation): a form-encoded POST of <c>Action</c>, <c>Version</c> and the
/// parameters to the service root; XML answers; errors as <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>.
/// Signing, retries and clock-skew correction are <see cref="AwsSignedTransport"/>'s.
/// </summary>
internal sealed class AwsQueryClient : IDisposable
{
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private readonly AwsSignedTransport _transport;
    private readonly string _version;

    public AwsQueryClient(AwsSession session, string service, string version, RetrySettings retry)
    {
        _transport = new AwsSignedTransport(session, service, retry);
        _version = version;
    }

    /// <summary>Calls <paramref name="action"/>; returns the <c>{Action}Result</c> element (or the response root when there is none).</summary>
    public async Task<XElement> InvokeAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = new StringBuilder("Action=").Append(Uri.EscapeDataString(action)).Append("&Version=").Append(Uri.EscapeDataString(_version));
        foreach (var parameter in parameters)
            body.Append('&').Append(Uri.EscapeDataString(parameter.Key)).Append('=').Append(Uri.EscapeDataString(parameter.Value));
        var text = await _transport.SendAsync(HttpMethod.Post, "", Encoding.UTF8.GetBytes(body.ToString()), ContentType, action,
            (status, _, error) => ParseError(action, status, error), cancellationToken).ConfigureAwait(false);
        var root = XDocument.Parse(text).Root ?? throw new AwsRequestException(_transport.Service, "InvalidResponse", $"{action} answered with an empty document.", HttpStatusCode.OK, null);
        return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? root;
    }

    private AwsRequestException ParseError(string action, HttpStatusCode status, string text)
    {
        try
        {
            var root = XDocument.Parse(text).Root;
            var error = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            var requestId = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
            if (!string.IsNullOrEmpty(code))
                return new AwsRequestException(_transport.Service, code!, message ?? "", status, requestId);
        }
        catch (System.Xml.XmlException)
        {
            // Not XML (a proxy's page, say): reported below with the status.
        }
        return NonAwsError(_transport.Service, action, status, text);
    }

    /// <summary>An error answer that carries no AWS error document.</summary>
    internal static AwsRequestException NonAwsError(string service, string operation, HttpStatusCode status, string text)
    {
        var snippet = text.Length > 200 ? text.Substring(0, 200) : text;
        return new AwsRequestException(service, "Http" + ((int)status).ToString(CultureInfo.InvariantCulture), $"{operation} failed with HTTP {(int)status} and no AWS error document: {snippet}", status, null);
    }

    public void Dispose() => _transport.Dispose();
}
