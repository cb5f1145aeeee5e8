using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace BatchPs.Aws;

/// <summary>
/// The AWS query protocol (CloudFormation, STS, SQS's classic API): a form-encoded POST of <c>Action</c>,
/// <c>Version</c> and the parameters to <c>/</c>; XML answers (<c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;</c>);
/// errors as <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>.
/// </summary>
public abstract class AwsQueryClient : AwsClientBase
{
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private readonly string _version;

    /// <summary>Creates the client.</summary>
    /// <param name="settings">Region, credentials, endpoint override and retry policy.</param>
    /// <param name="signingService">SigV4 service name (also the endpoint prefix, e.g. <c>cloudformation</c>).</param>
    /// <param name="version">The API version (e.g. <c>2010-05-15</c>).</param>
    /// <param name="handler">HTTP handler; null for the default.</param>
    protected AwsQueryClient(AwsClientSettings settings, string signingService, string version, HttpMessageHandler? handler)
        : base(settings, signingService, signingService, handler) => _version = version;

    /// <summary>Calls <paramref name="action"/>; returns the <c>{Action}Result</c> element (the response root when there is none).</summary>
    protected async Task<XElement> InvokeAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var body = new StringBuilder("Action=").Append(Uri.EscapeDataString(action)).Append("&Version=").Append(Uri.EscapeDataString(_version));
        foreach (var parameter in parameters)
            body.Append('&').Append(Uri.EscapeDataString(parameter.Key)).Append('=').Append(Uri.EscapeDataString(parameter.Value));
        var headers = new Dictionary<string, string> { ["Content-Type"] = ContentType };
        var response = await SendAsync(Encoding.UTF8.GetBytes(body.ToString()), headers, cancellationToken).ConfigureAwait(false);
        try
        {
            var root = XDocument.Parse(Encoding.UTF8.GetString(response.Body)).Root
                ?? throw new AwsServiceException("InvalidResponse", $"{action} answered with an empty document.", response.StatusCode, response.RequestId);
            return root.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result") ?? root;
        }
        catch (XmlException ex)
        {
            throw new AwsServiceException("InvalidResponse", $"{action} answered with a body that is not XML: {ex.Message}", response.StatusCode, response.RequestId, ex);
        }
    }

    /// <inheritdoc />
    protected override AwsServiceException ParseError(AwsHttpResponse response)
    {
        var text = Encoding.UTF8.GetString(response.Body);
        try
        {
            var root = XDocument.Parse(text).Root;
            var error = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            var requestId = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value ?? response.RequestId;
            if (!string.IsNullOrEmpty(code))
                return new AwsServiceException(code!, message ?? "", response.StatusCode, requestId);
        }
        catch (XmlException)
        {
            // Not XML (a proxy's error page, say): reported below with the status.
        }
        var snippet = text.Length > 200 ? text.Substring(0, 200) : text;
        return new AwsServiceException("Http" + (int)response.StatusCode, $"HTTP {(int)response.StatusCode} without an AWS error document: {snippet}", response.StatusCode, response.RequestId);
    }
}
