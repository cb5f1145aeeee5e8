using BatchPs.Admin.Aws;
using BatchPs.Admin.Aws.ApiGateway;
using BatchPs.Admin.Aws.CloudFormation;
using BatchPs.Admin.Stacks;
using BatchPs.Core.Connections;

namespace BatchPs.Admin;

/// <summary>
/// The admin engine's front door for the stack: deploy (create or update through a change set),
/// describe and remove. Takes and returns only BCL and BatchPs types, so the cmdlets call it across
/// the module's AssemblyLoadContext boundary.
/// </summary>
public sealed class StackAdmin : IDisposable
{
    private readonly AwsSession _session;
    private readonly CloudFormationClient _cloudFormation;
    private readonly S3ArtifactStore _artifacts;
    private readonly StackDeployer _deployer;
    private readonly ApiGatewayClient _apiGateway;

    /// <summary>Resolves credentials and region (throws <see cref="AwsCredentialException"/> when there are none).</summary>
    public StackAdmin(AwsConnectionOptions options, RetrySettings? retry = null)
    {
        retry ??= new RetrySettings();
        _session = AwsSessionResolver.Resolve(options);
        _cloudFormation = new CloudFormationClient(_session, retry);
        _artifacts = new S3ArtifactStore(_session, retry);
        _apiGateway = new ApiGatewayClient(_session, retry);
        _deployer = new StackDeployer(_cloudFormation, _artifacts, _apiGateway, retry.PollInterval);
    }

    /// <summary>Where the credentials and region came from (no secrets), for verbose output.</summary>
    public string ConnectionDescription => _session.ToString();

    /// <summary>The region in use.</summary>
    public string Region => _session.Region.SystemName;

    /// <summary>Creates or updates the stack; see <see cref="DeployRequest"/>.</summary>
    public Task<DeployResult> DeployAsync(DeployRequest request, IStackObserver observer, CancellationToken cancellationToken) =>
        _deployer.DeployAsync(request, observer, cancellationToken);

    /// <summary>The stack, or null when it does not exist.</summary>
    public Task<StackInfo?> GetStackAsync(string stackName, CancellationToken cancellationToken) =>
        _cloudFormation.DescribeStackAsync(stackName, cancellationToken);

    /// <summary>Deletes the stack and waits for the end; null when there was no such stack.</summary>
    public Task<StackInfo?> RemoveAsync(string stackName, IStackObserver observer, CancellationToken cancellationToken) =>
        _deployer.RemoveAsync(stackName, observer, cancellationToken);

    /// <summary>
    /// A connection for on-prem callers: the stack's endpoint and its API key's value, read from API Gateway, or
    /// for a stack with <c>AuthMode=IAM</c> the endpoint marked IAM (callers sign; there is no key).
    /// The key travels only inside the returned object (see <see cref="SavedConnection"/>).
    /// </summary>
    public async Task<SavedConnection> ConnectionForAsync(StackInfo stack, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(stack.Endpoint) || !Uri.TryCreate(stack.Endpoint, UriKind.Absolute, out var endpoint))
            throw new StackOperationException($"Stack {stack.StackName} ({stack.Status}) has no {StackOutputNames.ApiEndpoint} output; deploy it first.", stack.StackName, stack.Status);
        var iam = string.Equals(stack.AuthMode, SavedConnection.IamAuthMode, StringComparison.OrdinalIgnoreCase);
        string? key = null;
        if (!iam && !string.IsNullOrEmpty(stack.ApiKeyId))
        {
            try
            {
                key = await _apiGateway.GetValueAsync(stack.ApiKeyId!, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsRequestException ex) when (ex.ErrorCode == "NotFoundException")
            {
                throw new AwsRequestException(ex.Service, ex.ErrorCode, $"API key {stack.ApiKeyId} of stack {stack.StackName} was not found ({ex.ServiceMessage}); was it deleted outside the stack?", ex.StatusCode, ex.RequestId, ex);
            }
        }
        return new SavedConnection(name, endpoint, key, $"stack {stack.StackName} in {stack.Region}", DateTime.UtcNow,
            authMode: iam ? SavedConnection.IamAuthMode : SavedConnection.ApiKeyAuthMode);
    }

    /// <summary>Releases the HTTP clients.</summary>
    public void Dispose()
    {
        _apiGateway.Dispose();
        _cloudFormation.Dispose();
        _artifacts.Dispose();
    }
}
