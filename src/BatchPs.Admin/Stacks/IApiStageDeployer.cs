namespace BatchPs.Admin.Stacks;

/// <summary>Deploys an API Gateway REST API's stage again (<c>CreateDeployment</c>), so an updated API is what the stage serves.</summary>
internal interface IApiStageDeployer
{
    /// <summary>Creates a deployment of <paramref name="restApiId"/> for <paramref name="stageName"/>; returns its id.</summary>
    Task<string> CreateDeploymentAsync(string restApiId, string stageName, string description, CancellationToken cancellationToken);
}
