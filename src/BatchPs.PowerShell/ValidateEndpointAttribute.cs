using System.Management.Automation;

namespace BatchPs.PowerShell;

/// <summary>
/// Refuses an <c>-Endpoint</c> that is not an absolute http or https URL at binding, with a message that says
/// what an endpoint looks like (PowerShell would otherwise turn 'not a url' into a relative URI).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateEndpointAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (value is Uri { IsAbsoluteUri: true } uri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)) return;
        throw new ValidationMetadataException(
            $"'{value}' is not an endpoint: pass the stack's absolute http or https URL, for example http://127.0.0.1:5000 (Start-BatchTriggerLocalStack's Endpoint) or https://abc123.execute-api.eu-west-1.amazonaws.com/prod.");
    }
}
