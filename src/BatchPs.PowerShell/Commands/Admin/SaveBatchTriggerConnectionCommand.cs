using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using BatchPs.Admin.Stacks;
using BatchPs.Core.Client;
using BatchPs.Core.Connections;
using BatchPs.PowerShell.Completion;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>
/// <para type="synopsis">Saves an endpoint and API key for the current user, so Send-BatchTrigger finds them without the key ever being typed, logged or shown.</para>
/// <para type="description">From a stack (-StackName, or Get-BatchTriggerStack piped in) the endpoint comes from the stack's
/// outputs and the key's value from API Gateway. The key is stored protected: DPAPI (current user) on Windows, a file
/// readable by its owner only elsewhere. The output shows whether a key is saved, never the key.</para>
/// </summary>
[Cmdlet(VerbsData.Save, "BatchTriggerConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = StackSet)]
[OutputType(typeof(SavedConnection))]
public sealed class SaveBatchTriggerConnectionCommand : AwsCommandBase
{
    private const string StackSet = "Stack";
    private const string ManualSet = "Manual";

    /// <summary>The connection's name (default "default", the one Send-BatchTrigger uses when given no endpoint).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public string Name { get; set; } = SavedConnectionStore.DefaultName;

    /// <summary>The stack whose endpoint and API key are saved (default BatchPs); binds from a piped stack.</summary>
    [Parameter(ParameterSetName = StackSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = StackNames.Default;

    /// <summary>The trigger API's base URL, when not read from a stack.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManualSet)]
    [ValidateNotNull]
    [ValidateEndpoint]
    public Uri? Endpoint { get; set; }

    /// <summary>The API key (a SecureString, or a string converted at once).</summary>
    [Parameter(ParameterSetName = ManualSet)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>Iam for a stack deployed with AuthMode=IAM: callers sign requests with AWS credentials, and no key is saved.</summary>
    [Parameter(ParameterSetName = ManualSet)]
    public BatchTriggerAuth Auth { get; set; } = BatchTriggerAuth.ApiKey;

    /// <summary>Writes the saved connection (its key never shown).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            SavedConnectionStore.ValidateName(Name);
        }
        catch (ArgumentException ex)
        {
            throw Terminate(BatchPsErrors.Create(ex, "InvalidArgument", ErrorCategory.InvalidArgument, Name));
        }
        if (Auth == BatchTriggerAuth.Iam && ApiKey is not null)
        {
            throw Terminate(BatchPsErrors.Create(
                new PSArgumentException("-Auth Iam saves no API key: callers of an AuthMode=IAM stack sign their requests with AWS credentials. Drop -ApiKey, or drop -Auth Iam for an API key stack."),
                "AuthConflict", ErrorCategory.InvalidArgument, Name));
        }
        if (ParameterSetName == ManualSet && EndpointUrl is not null)
        {
            throw Terminate(BatchPsErrors.Create(
                new PSArgumentException("-EndpointUrl is the AWS service endpoint used to read a stack (-StackName); a connection saved by hand does not read one. The trigger API's URL is -Endpoint."),
                "InvalidArgument", ErrorCategory.InvalidArgument, EndpointUrl));
        }
        if (ApiKey is not null)
        {
            try
            {
                ApiKeyText.Normalize(SecureText.ToPlain(ApiKey));
            }
            catch (ArgumentException ex)
            {
                throw Terminate(BatchPsErrors.Create(new PSArgumentException("-ApiKey: " + ex.Message, ex), "InvalidApiKey", ErrorCategory.InvalidArgument, Name));
            }
        }
        var store = new SavedConnectionStore();
        if (!ShouldProcess($"{Name} in {store.Folder}", "Save the endpoint and API key")) return;

        var connection = ParameterSetName == ManualSet
            ? new SavedConnection(Name, Endpoint!, ApiKey is null ? null : ApiKeyText.Normalize(SecureText.ToPlain(ApiKey)), "entered", DateTime.UtcNow,
                authMode: Auth == BatchTriggerAuth.Iam ? SavedConnection.IamAuthMode : SavedConnection.ApiKeyAuthMode)
            : FromStack();
        try
        {
            var saved = store.Save(connection);
            WriteVerbose($"Saved connection '{saved.Name}' ({saved.Endpoint}) in {store.Folder}; {(saved.AuthMode == SavedConnection.IamAuthMode ? "IAM auth (callers sign with AWS credentials)" : "API key " + (saved.HasApiKey ? "protected by " + saved.Protection : "none"))}.");
            if (PassThru) WriteObject(saved);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or ArgumentException)
        {
            throw Terminate(BatchPsErrors.Create(ex, "ConnectionNotSaved", ErrorCategory.WriteError, Name));
        }
    }

    // Its own method, so saving a connection by hand never loads the admin engine or the AWS SDK.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private SavedConnection FromStack()
    {
        try
        {
            using var admin = CreateStackAdmin();
            var stack = Await(admin.GetStackAsync(StackName, StopToken));
            if (stack is null)
            {
                throw Terminate(BatchPsErrors.Create(
                    new ItemNotFoundException($"Stack {StackName} does not exist in {admin.Region}; deploy it first, or check -StackName and -Region."),
                    "StackNotFound", ErrorCategory.ObjectNotFound, StackName));
            }
            return Await(admin.ConnectionForAsync(stack, Name, StopToken));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not RuntimeException)
        {
            throw Terminate(ErrorFor(ex, StackName));
        }
    }
}
