using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using BatchPs.Admin.Aws;
using BatchPs.Core.Client;
using BatchPs.Core.Connections;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// The connection parameters shared by the trigger cmdlets. The endpoint comes from <c>-Endpoint</c>,
/// the pipeline (by property name), or <c>$env:BATCHPS_ENDPOINT</c>; the API key from <c>-ApiKey</c>,
/// the key last used with that endpoint in this runspace, or <c>$env:BATCHPS_API_KEY</c>. For a stack with IAM
/// auth (<c>-Auth Iam</c>, any AWS credential parameter, IAM used last with that endpoint in this runspace, or,
/// when no key is found, a saved connection for the endpoint that records IAM auth)
/// requests are SigV4-signed for <c>execute-api</c> by the admin engine; API key calls load no AWS assembly.
/// </summary>
public abstract class BatchTriggerCommandBase : AwsCredentialCommandBase
{
    /// <summary>The environment variable naming the default endpoint.</summary>
    public const string EndpointVariable = "BATCHPS_ENDPOINT";

    /// <summary>The environment variable holding the default API key.</summary>
    public const string ApiKeyVariable = "BATCHPS_API_KEY";

    /// <summary>The environment variable naming the saved connection to fall back on (default: the one named "default").</summary>
    public const string ConnectionVariable = "BATCHPS_CONNECTION";

    private readonly Dictionary<string, BatchTriggerClient> _iamClients = new(StringComparer.OrdinalIgnoreCase);
    private SavedConnection? _savedConnection;
    private bool _savedConnectionRead;

    /// <summary>The stack's base URL (what Start-BatchTriggerLocalStack or the deployment printed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <summary>The API key: a SecureString, or a plain string (converted at once). Never displayed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>ApiKey or Iam (SigV4 with AWS credentials). Default: Iam when an AWS credential parameter is given, else ApiKey.</summary>
    [Parameter]
    public BatchTriggerAuth? Auth { get; set; }

    /// <summary>The endpoint this call uses; writes a terminating error when there is none.</summary>
    protected Uri ResolveEndpoint()
    {
        if (Endpoint is not null) return Endpoint;
        var fromEnvironment = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out var uri)) return uri;
            throw Terminate(BatchPsErrors.Create(
                new PSArgumentException($"${EndpointVariable} is '{fromEnvironment}', which is not an absolute URL. Set it to the stack's URL, for example http://127.0.0.1:5000."),
                "InvalidEndpoint", ErrorCategory.InvalidArgument, fromEnvironment));
        }
        if (SavedConnection() is { } saved) return saved.Endpoint;
        throw Terminate(BatchPsErrors.Create(
            new PSArgumentException($"No endpoint: pass -Endpoint, pipe in an object with an Endpoint property (Start-BatchTriggerLocalStack's output), set $env:{EndpointVariable}, or save a connection with Save-BatchTriggerConnection."),
            "EndpointMissing", ErrorCategory.InvalidArgument, null));
    }

    /// <summary>
    /// The user's saved connection (Save-BatchTriggerConnection) named by $env:BATCHPS_CONNECTION, else the one
    /// named "default"; null when there is none. A named connection that is missing, or one that cannot be read,
    /// is a terminating error.
    /// </summary>
    private SavedConnection? SavedConnection()
    {
        if (_savedConnectionRead) return _savedConnection;
        _savedConnectionRead = true;
        var chosen = NonEmpty(Environment.GetEnvironmentVariable(ConnectionVariable));
        var store = new SavedConnectionStore();
        try
        {
            _savedConnection = store.Find(chosen ?? SavedConnectionStore.DefaultName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            throw Terminate(BatchPsErrors.Create(ex, "ConnectionUnreadable", ErrorCategory.ReadError, chosen ?? SavedConnectionStore.DefaultName));
        }
        if (_savedConnection is null && chosen is not null)
        {
            throw Terminate(BatchPsErrors.Create(
                new ItemNotFoundException($"${ConnectionVariable} names the saved connection '{chosen}', which is not in {store.Folder}. Save it with Save-BatchTriggerConnection, or clear ${ConnectionVariable}."),
                "ConnectionNotFound", ErrorCategory.ObjectNotFound, chosen));
        }
        return _savedConnection;
    }

    private string? SavedKeyFor(Uri endpoint) =>
        SavedConnection() is { } saved && SameEndpoint(saved.Endpoint, endpoint) ? NonEmpty(saved.RevealApiKey()) : null;

    private static bool SameEndpoint(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Path).TrimEnd('/'), b.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The client for the resolved endpoint: the session's API key client, or (IAM) a signing client owned by this
    /// call; writes a terminating error when the endpoint, the key or the AWS credentials are missing.
    /// </summary>
    protected BatchTriggerClient ResolveClient()
    {
        var endpoint = ResolveEndpoint();
        var runspaceId = System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
        if (UsesIam(endpoint, runspaceId)) return IamClient(endpoint, runspaceId);
        var key = ApiKey is not null
            ? SecureText.ToPlain(ApiKey)
            : ConnectionRegistry.LastKeyFor(runspaceId, endpoint) ?? NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)) ?? SavedKeyFor(endpoint);
        if (key is null && SavedConnection() is { AuthMode: Core.Connections.SavedConnection.IamAuthMode } saved && SameEndpoint(saved.Endpoint, endpoint))
            return IamClient(endpoint, runspaceId);
        if (key is null)
        {
            throw Terminate(BatchPsErrors.Create(
                new PSArgumentException($"No API key for {endpoint}: pass -ApiKey, pipe in Start-BatchTriggerLocalStack's output, set $env:{ApiKeyVariable}, or save a connection with Save-BatchTriggerConnection. For a stack deployed with AuthMode=IAM, pass -Auth Iam (or -ProfileName, -AccessKey/-SecretKey, -Credential)."),
                "ApiKeyMissing", ErrorCategory.AuthenticationError, endpoint));
        }
        try
        {
            return ConnectionRegistry.Get(runspaceId, endpoint, key);
        }
        catch (ArgumentException ex)
        {
            throw Terminate(BatchPsErrors.Create(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, endpoint));
        }
    }

    private bool UsesIam(Uri endpoint, Guid runspaceId)
    {
        if (Auth == BatchTriggerAuth.ApiKey || ApiKey is not null)
        {
            if (Auth == BatchTriggerAuth.Iam || HasCredentialParameters)
            {
                throw Terminate(BatchPsErrors.Create(
                    new PSArgumentException("An API key and AWS credentials exclude each other: a stack uses one auth mode. Pass -ApiKey (or -Auth ApiKey) for an AuthMode=ApiKey stack, or -Auth Iam and AWS credential parameters (-ProfileName, -AccessKey/-SecretKey, -Credential) for an AuthMode=IAM stack."),
                    "AuthConflict", ErrorCategory.InvalidArgument, endpoint));
            }
            return false;
        }
        return Auth == BatchTriggerAuth.Iam || HasCredentialParameters || ConnectionRegistry.LastIamOptionsFor(runspaceId, endpoint) is not null;
    }

    // Its own method, so API key calls never load the admin engine or the AWS SDK.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private BatchTriggerClient IamClient(Uri endpoint, Guid runspaceId)
    {
        var options = HasCredentialParameters || Region is not null
            ? CredentialOptions()
            : ConnectionRegistry.LastIamOptionsFor(runspaceId, endpoint) as AwsConnectionOptions ?? CredentialOptions();
        var cacheKey = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + " " + options.Region;
        if (!_iamClients.TryGetValue(cacheKey, out var client))
        {
            try
            {
                var signer = new ExecuteApiSigner(options, endpoint);
                client = new BatchTriggerClient(new BatchTriggerClientOptions(endpoint, signer));
                WriteVerbose($"AWS: {signer.ConnectionDescription}; signing requests to {endpoint.Host} for {ExecuteApiSigner.ServiceName}.");
            }
            catch (AwsCredentialException ex)
            {
                throw Terminate(BatchPsErrors.Create(ex, "AwsCredentials", ErrorCategory.AuthenticationError, endpoint));
            }
            catch (ArgumentException ex)
            {
                throw Terminate(BatchPsErrors.Create(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, endpoint));
            }
            _iamClients.Add(cacheKey, client);
        }
        ConnectionRegistry.RememberIam(runspaceId, endpoint, options);
        return client;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var client in _iamClients.Values) client.Dispose();
            _iamClients.Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>Writes a record (or history) with an <c>Endpoint</c> note property, so it pipes on to the next trigger cmdlet.</summary>
    protected void WriteWithEndpoint(object value, BatchTriggerClient client)
    {
        var output = PSObject.AsPSObject(value);
        output.Properties.Add(new PSNoteProperty(nameof(Endpoint), client.Endpoint));
        WriteObject(output);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
