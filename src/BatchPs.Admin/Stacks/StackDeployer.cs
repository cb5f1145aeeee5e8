using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchPs.Admin.Aws.CloudFormation;

namespace BatchPs.Admin.Stacks;

/// <summary>
/// Creates or updates a stack through a change set: upload the Lambda package, create the change set,
/// wait for it, then (unless <c>-WhatIf</c>) execute it and stream the stack's events to the end.
/// "No changes" is success; a rollback or failure throws <see cref="StackOperationException"/> naming
/// the resource that failed and why. Also removes and describes stacks.
/// </summary>
internal sealed class StackDeployer
{
    internal static readonly string[] Capabilities = { "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND" };
    private static readonly HashSet<string> StageIndependentApiTypes = new(StringComparer.Ordinal)
    {
        "AWS::ApiGateway::Stage", "AWS::ApiGateway::Account", "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::UsagePlanKey",
    };

    private readonly ICloudFormation _cloudFormation;
    private readonly IArtifactStore _artifacts;
    private readonly IApiStageDeployer _apiStages;
    private readonly TimeSpan _pollInterval;

    public StackDeployer(ICloudFormation cloudFormation, IArtifactStore artifacts, IApiStageDeployer apiStages, TimeSpan pollInterval)
    {
        _cloudFormation = cloudFormation;
        _artifacts = artifacts;
        _apiStages = apiStages;
        _pollInterval = pollInterval;
    }

    public async Task<DeployResult> DeployAsync(DeployRequest request, IStackObserver observer, CancellationToken cancellationToken)
    {
        StackNames.Validate(request.StackName);
        var template = ReadFile(request.TemplatePath, "template");
        var existing = await _cloudFormation.DescribeStackAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        var changeSetType = CheckDeployable(request.StackName, existing);
        observer.OnMessage(existing is null || changeSetType == "CREATE"
            ? $"Stack {request.StackName} does not exist yet: creating it."
            : $"Stack {request.StackName} is {existing.Status}: updating it.");

        // Local files the template names (the Lambda package, the state machine definition) go to S3 first,
        // under content-addressed keys: an unchanged file is the same key, a changed one a new key CloudFormation sees.
        var lines = Encoding.UTF8.GetString(template).Replace("\r\n", "\n").Split('\n');
        var artifacts = TemplatePackager.FindArtifacts(lines, request.TemplatePath, request.LambdaPackagePath);
        string? bucket = null;
        var locations = new Dictionary<TemplateArtifact, (string Bucket, string Key)>();
        if (artifacts.Count > 0 || template.Length > DeployRequest.MaxTemplateBodyBytes)
        {
            bucket = await _artifacts.ResolveBucketAsync(request.ArtifactBucket, cancellationToken).ConfigureAwait(false);
            if (!request.WhatIf)
                await _artifacts.EnsureBucketAsync(bucket, string.IsNullOrEmpty(request.ArtifactBucket), cancellationToken).ConfigureAwait(false);
        }
        foreach (var artifact in artifacts)
        {
            var content = ReadFile(artifact.Path, artifact.Property);
            var key = $"batchps/{request.StackName}/{Hash(content)}-{Path.GetFileName(artifact.Path)}";
            if (!request.WhatIf)
            {
                observer.OnMessage($"Uploading {Path.GetFileName(artifact.Path)} ({content.Length:N0} bytes, {artifact.Property}) to s3://{bucket}/{key}.");
                await _artifacts.UploadAsync(bucket!, key, content, cancellationToken).ConfigureAwait(false);
            }
            locations[artifact] = (bucket!, key);
        }
        var body = Encoding.UTF8.GetBytes(TemplatePackager.Rewrite(lines, locations));

        var changeSet = new ChangeSetRequest
        {
            StackName = request.StackName,
            ChangeSetName = "batchps-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture),
            ChangeSetType = changeSetType,
            Parameters = request.Parameters,
            Capabilities = Capabilities,
            Tags = request.Tags,
            Description = "BatchPs deployment",
        };
        if (body.Length > DeployRequest.MaxTemplateBodyBytes)
        {
            if (request.WhatIf)
                throw new StackOperationException($"The packaged template is over {DeployRequest.MaxTemplateBodyBytes:N0} bytes, so CloudFormation must read it from S3; -WhatIf uploads nothing. Deploy once without -WhatIf, or shrink the template.", request.StackName, existing?.Status);
            bucket ??= await _artifacts.ResolveBucketAsync(request.ArtifactBucket, cancellationToken).ConfigureAwait(false);
            var templateKey = $"batchps/{request.StackName}/{Hash(body)}-template{Path.GetExtension(request.TemplatePath)}";
            await _artifacts.UploadAsync(bucket, templateKey, body, cancellationToken).ConfigureAwait(false);
            changeSet.TemplateUrl = _artifacts.UrlFor(bucket, templateKey);
        }
        else
        {
            changeSet.TemplateBody = Encoding.UTF8.GetString(body);
        }

        observer.OnMessage($"Creating change set {changeSet.ChangeSetName} ({changeSetType}).");
        var (changeSetId, stackId) = await _cloudFormation.CreateChangeSetAsync(changeSet, cancellationToken).ConfigureAwait(false);
        var description = await WaitForChangeSetAsync(changeSetId, cancellationToken).ConfigureAwait(false);

        if (description.Status == "FAILED")
        {
            await _cloudFormation.DeleteChangeSetAsync(changeSetId, cancellationToken).ConfigureAwait(false);
            if (description.IsNoChanges && existing is not null)
            {
                observer.OnMessage($"Stack {request.StackName} already matches the template and parameters: no changes.");
                return new DeployResult(DeployOutcome.NoChanges, existing, Array.Empty<StackChangeInfo>());
            }
            await DeletePlaceholderAsync(existing, changeSetType, stackId, cancellationToken).ConfigureAwait(false);
            throw new StackOperationException($"CloudFormation could not create a change set for stack {request.StackName}: {description.StatusReason}", request.StackName, existing?.Status);
        }

        if (request.WhatIf)
        {
            await _cloudFormation.DeleteChangeSetAsync(changeSetId, cancellationToken).ConfigureAwait(false);
            await DeletePlaceholderAsync(existing, changeSetType, stackId, cancellationToken).ConfigureAwait(false);
            observer.OnMessage($"What if: {description.Changes.Count} change(s); change set deleted, nothing executed.");
            return new DeployResult(DeployOutcome.WhatIf, changeSetType == "CREATE" ? null : existing, description.Changes);
        }

        var stream = new StackEventStream(_cloudFormation, observer, _pollInterval);
        await stream.StartAsync(stackId, cancellationToken).ConfigureAwait(false);
        observer.OnMessage($"Executing change set {changeSet.ChangeSetName}: {description.Changes.Count} change(s).");
        await _cloudFormation.ExecuteChangeSetAsync(changeSetId, cancellationToken).ConfigureAwait(false);
        var final = await stream.WaitAsync(stackId, cancellationToken).ConfigureAwait(false);
        var expected = changeSetType == "CREATE" ? "CREATE_COMPLETE" : "UPDATE_COMPLETE";
        if (final is null || final.Status != expected)
            throw Failure(request.StackName, final?.Status ?? "DELETE_COMPLETE", final?.StatusReason, stream.FirstFailure, changeSetType == "CREATE" ? "creation" : "update");
        observer.OnMessage($"Stack {request.StackName} is {final.Status}.");
        if (changeSetType == "UPDATE")
            await RedeployApiStageAsync(final, description.Changes, observer, cancellationToken).ConfigureAwait(false);
        return new DeployResult(changeSetType == "CREATE" ? DeployOutcome.Created : DeployOutcome.Updated, final, description.Changes);
    }

    /// <summary>Deletes the stack and waits; null when there was no such stack.</summary>
    public async Task<StackInfo?> RemoveAsync(string stackName, IStackObserver observer, CancellationToken cancellationToken)
    {
        var existing = await _cloudFormation.DescribeStackAsync(stackName, cancellationToken).ConfigureAwait(false);
        if (existing is null) return null;
        if (existing.InProgress && existing.Status != "REVIEW_IN_PROGRESS" && existing.Status != "DELETE_IN_PROGRESS")
            throw new StackOperationException($"Stack {stackName} is busy ({existing.Status}); wait for that operation to end, then remove it.", stackName, existing.Status);
        var stream = new StackEventStream(_cloudFormation, observer, _pollInterval);
        await stream.StartAsync(existing.StackId, cancellationToken).ConfigureAwait(false);
        observer.OnMessage($"Deleting stack {stackName}.");
        await _cloudFormation.DeleteStackAsync(existing.StackId, cancellationToken).ConfigureAwait(false);
        var final = await stream.WaitAsync(existing.StackId, cancellationToken).ConfigureAwait(false);
        if (final is not null && final.Status != "DELETE_COMPLETE")
            throw Failure(stackName, final.Status, final.StatusReason, stream.FirstFailure, "deletion");
        observer.OnMessage($"Stack {stackName} is deleted.");
        existing.Status = "DELETE_COMPLETE";
        return existing;
    }

    /// <summary>
    /// A stage serves the deployment snapshot it was given: after an update that changed the API's methods,
    /// models or responses, the stage is deployed again so callers see the change.
    /// </summary>
    private async Task RedeployApiStageAsync(StackInfo stack, IReadOnlyList<StackChangeInfo> changes, IStackObserver observer, CancellationToken cancellationToken)
    {
        var apiChanges = changes.Where(c => c.ResourceType.StartsWith("AWS::ApiGateway::", StringComparison.Ordinal) && !StageIndependentApiTypes.Contains(c.ResourceType)).ToList();
        if (apiChanges.Count == 0 || !Uri.TryCreate(stack.Endpoint, UriKind.Absolute, out var endpoint)) return;
        var restApiId = endpoint.Host.Split('.')[0];
        var stage = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        if (restApiId.Length == 0 || stage.Length == 0) return;
        var deployment = await _apiStages.CreateDeploymentAsync(restApiId, stage, $"BatchPs: {string.Join(", ", apiChanges.Select(c => c.LogicalResourceId))} changed", cancellationToken).ConfigureAwait(false);
        observer.OnMessage($"API {restApiId} stage {stage} deployed again (deployment {deployment}) so it serves the updated {string.Join(", ", apiChanges.Select(c => c.LogicalResourceId))}.");
    }

    private static string CheckDeployable(string stackName, StackInfo? existing)
    {
        if (existing is null || existing.Status == "REVIEW_IN_PROGRESS") return "CREATE";
        if (existing.Status is "ROLLBACK_COMPLETE" or "ROLLBACK_FAILED" or "CREATE_FAILED" or "DELETE_FAILED")
            throw new StackOperationException(
                $"Stack {stackName} is {existing.Status} (its creation failed{(string.IsNullOrEmpty(existing.StatusReason) ? "" : ": " + existing.StatusReason)}) and cannot be updated. Remove it with Remove-BatchTriggerStack -StackName {stackName}, then deploy again.",
                stackName, existing.Status);
        if (existing.InProgress)
            throw new StackOperationException($"Stack {stackName} is busy ({existing.Status}); wait for that operation to end, then deploy again.", stackName, existing.Status);
        return "UPDATE";
    }

    private async Task<ChangeSetDescription> WaitForChangeSetAsync(string changeSetId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var description = await _cloudFormation.DescribeChangeSetAsync(changeSetId, cancellationToken).ConfigureAwait(false);
            if (description.Status is not ("CREATE_PENDING" or "CREATE_IN_PROGRESS")) return description;
            await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS; when nothing is executed, it goes too.</summary>
    private async Task DeletePlaceholderAsync(StackInfo? existing, string changeSetType, string stackId, CancellationToken cancellationToken)
    {
        if (changeSetType == "CREATE" && existing is null && !string.IsNullOrEmpty(stackId))
            await _cloudFormation.DeleteStackAsync(stackId, cancellationToken).ConfigureAwait(false);
    }

    private static StackOperationException Failure(string stackName, string status, string? statusReason, StackEventInfo? failure, string operation)
    {
        var message = failure is not null
            ? $"Stack {stackName} {operation} failed ({status}): resource {failure.LogicalResourceId} ({failure.ResourceType}) {failure.ResourceStatus}: {failure.ResourceStatusReason}"
            : $"Stack {stackName} {operation} failed ({status}){(string.IsNullOrEmpty(statusReason) ? "" : ": " + statusReason)}";
        if (status == "ROLLBACK_COMPLETE")
            message += $" The stack was rolled back; remove it with Remove-BatchTriggerStack -StackName {stackName} before deploying again.";
        return new StackOperationException(message, stackName, status, failure);
    }

    private static byte[] ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FileNotFoundException($"The {what} '{path}' cannot be read: {ex.Message}", path, ex);
        }
    }

    private static string Hash(byte[] content)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(content);
        var text = new StringBuilder(16);
        for (var i = 0; i < 8; i++) text.Append(digest[i].ToString("x2", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
