using BatchPs.Admin.Aws;
using BatchPs.Admin.Stacks;

namespace BatchPs.Admin.Tests;

public sealed class StackDeployerTests
{
    /// <summary>A fresh two-minute deadline for each call (generous: the machine may be loaded).</summary>
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static DeployRequest Request(AdminTestContext context, bool whatIf = false, string stackName = "BatchPs") => new()
    {
        StackName = stackName,
        TemplatePath = context.TemplatePath,
        Parameters = { ["AuthMode"] = "ApiKey" },
        WhatIf = whatIf,
    };

    [Fact]
    public async Task Deploy_creates_a_missing_stack_through_a_change_set_and_returns_its_outputs()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        var observer = new RecordingObserver();

        var result = await admin.DeployAsync(Request(context), observer, Timeout);

        Assert.Equal(DeployOutcome.Created, result.Outcome);
        Assert.Equal("CREATE_COMPLETE", result.Stack!.Status);
        Assert.Equal("https://abc123.execute-api.eu-west-1.amazonaws.com/prod", result.Stack.Endpoint);
        Assert.Equal("k3y1d", result.Stack.ApiKeyId);
        Assert.Equal("BatchPs-Triggers", result.Stack.TableName);
        Assert.Equal(3, result.Changes.Count);
        Assert.Empty(context.Aws.SignatureFailures);

        const string bucket = "batchps-artifacts-123456789012-eu-west-1";
        Assert.Equal(new[] { "create bucket", "upload", "upload", "cloudformation CreateChangeSet", "cloudformation ExecuteChangeSet" },
            context.Aws.Mutations().Select(m => m.StartsWith("s3 PUT ", StringComparison.Ordinal) ? (m.TrimEnd('/') == $"s3 PUT /{bucket}" ? "create bucket" : "upload") : m));
        Assert.Equal("eu-west-1", context.Aws.S3.Buckets[bucket]);
        var zip = Assert.Single(context.Aws.S3.Objects, o => o.Key.EndsWith("-BatchPs.Lambda.zip", StringComparison.Ordinal));
        var definition = Assert.Single(context.Aws.S3.Objects, o => o.Key.EndsWith("-trigger.asl.json", StringComparison.Ordinal));
        Assert.StartsWith($"{bucket}/batchps/BatchPs/", zip.Key);
        Assert.Equal(File.ReadAllBytes(context.PackagePath), zip.Value);
        Assert.Equal(File.ReadAllBytes(context.DefinitionPath), definition.Value);

        var form = context.Aws.CloudFormation.LastChangeSetForm!;
        Assert.Equal("CREATE", form["ChangeSetType"]);
        Assert.Contains("CAPABILITY_IAM", form.Where(f => f.Key.StartsWith("Capabilities.member.", StringComparison.Ordinal)).Select(f => f.Value));
        Assert.Equal(("AuthMode", "ApiKey"), (form["Parameters.member.1.ParameterKey"], form["Parameters.member.1.ParameterValue"]));
        var body = form["TemplateBody"];
        Assert.Contains($"      Code:\n        S3Bucket: '{bucket}'\n        S3Key: '{zip.Key.Substring(bucket.Length + 1)}'\n", body);
        Assert.Contains($"      DefinitionS3Location:\n        Bucket: '{bucket}'\n        Key: '{definition.Key.Substring(bucket.Length + 1)}'\n", body);
        Assert.DoesNotContain("../artifacts", body);
        Assert.Contains("Role: !GetAtt Role.Arn", body); // everything else as written

        var events = observer.Events.ToList();
        Assert.Equal("CREATE_IN_PROGRESS", events.First().ResourceStatus);
        Assert.Equal(("BatchPs", "CREATE_COMPLETE"), (events.Last().LogicalResourceId, events.Last().ResourceStatus));
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(new[] { "TriggerTable", "StreamFunction", "TriggerApi" },
            id => Assert.Contains(events, e => e.LogicalResourceId == id && e.ResourceStatus == "CREATE_COMPLETE"));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp), "events arrive oldest first");
    }

    [Fact]
    public async Task Deploy_updates_an_existing_stack_and_reuses_the_artifact_bucket()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);
        File.WriteAllBytes(context.PackagePath, new byte[] { 0x50, 0x4b, 9, 9, 9 });

        var result = await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);

        Assert.Equal(DeployOutcome.Updated, result.Outcome);
        Assert.Equal("UPDATE_COMPLETE", result.Stack!.Status);
        Assert.Equal("UPDATE", context.Aws.CloudFormation.LastChangeSetForm!["ChangeSetType"]);
        Assert.Single(context.Aws.S3.Buckets);
        Assert.Equal(3, context.Aws.S3.Objects.Count); // a new package is a new key, so CloudFormation sees the change
        Assert.All(result.Changes, c => Assert.Equal("Modify", c.Action));
        Assert.Equal(("abc123", "prod"), Assert.Single(context.Aws.ApiDeployments)); // the stage serves the updated API
        Assert.Equal("application/json", Assert.Single(context.Aws.ApiGatewayAccepts));
        Assert.Empty(context.Aws.SignatureFailures);
    }

    [Fact]
    public async Task Deploy_with_no_changes_is_success_and_leaves_no_change_set()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);
        var before = context.Aws.Mutations().Count;

        var result = await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);

        Assert.Equal(DeployOutcome.NoChanges, result.Outcome);
        Assert.Empty(context.Aws.ApiDeployments);
        Assert.Equal("CREATE_COMPLETE", result.Stack!.Status);
        Assert.Equal(new[] { "cloudformation CreateChangeSet", "cloudformation DeleteChangeSet" },
            context.Aws.Mutations().Skip(before).Where(m => !m.StartsWith("s3 ", StringComparison.Ordinal)));
        Assert.Equal(0, context.Aws.CloudFormation.ChangeSetCount);
    }

    [Fact]
    public async Task Deploy_that_rolls_back_fails_naming_the_failing_resource_and_its_reason()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.FailResource = ("StreamFunction", "Resource handler returned message: \"User is not authorized to perform: iam:PassRole\"");
        using var admin = context.StackAdmin();
        var observer = new RecordingObserver();

        var error = await Assert.ThrowsAsync<StackOperationException>(() => admin.DeployAsync(Request(context), observer, Timeout));

        Assert.Equal("ROLLBACK_COMPLETE", error.StackStatus);
        Assert.Equal("StreamFunction", error.FailedResource);
        Assert.Contains("iam:PassRole", error.Reason);
        Assert.Contains("StreamFunction", error.Message);
        Assert.Contains("iam:PassRole", error.Message);
        Assert.Contains("Remove-BatchTriggerStack", error.Message);
        Assert.Contains(observer.Events, e => e.ResourceStatus == "ROLLBACK_COMPLETE");
    }

    [Fact]
    public async Task Update_that_rolls_back_fails_with_UPDATE_ROLLBACK_COMPLETE_and_the_resource()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);
        context.Aws.CloudFormation.FailResource = ("TriggerApi", "Invalid mapping expression specified");
        var request = Request(context);
        request.Parameters["AuthMode"] = "Iam";

        var error = await Assert.ThrowsAsync<StackOperationException>(() => admin.DeployAsync(request, new RecordingObserver(), Timeout));

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", error.StackStatus);
        Assert.Equal("TriggerApi", error.FailedResource);
        Assert.Contains("Invalid mapping expression", error.Message);
    }

    [Fact]
    public async Task WhatIf_on_an_existing_stack_lists_every_change_executes_nothing_and_deletes_the_change_set()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);
        var before = context.Aws.Mutations().Count;
        var objects = context.Aws.S3.Objects.Count;
        var request = Request(context, whatIf: true);
        request.Parameters["AuthMode"] = "Iam";

        var result = await admin.DeployAsync(request, new RecordingObserver(), Timeout);

        Assert.Equal(DeployOutcome.WhatIf, result.Outcome);
        Assert.Equal(new[] { "TriggerTable", "StreamFunction", "TriggerApi" }, result.Changes.Select(c => c.LogicalResourceId)); // all pages
        Assert.Equal(new[] { "cloudformation CreateChangeSet", "cloudformation DeleteChangeSet" }, context.Aws.Mutations().Skip(before));
        Assert.Equal(objects, context.Aws.S3.Objects.Count);
        Assert.Equal("CREATE_COMPLETE", context.Aws.CloudFormation.StatusOf("BatchPs"));
        Assert.Equal(0, context.Aws.CloudFormation.ChangeSetCount);
    }

    [Fact]
    public async Task WhatIf_on_a_missing_stack_creates_no_bucket_and_removes_the_review_placeholder()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();

        var result = await admin.DeployAsync(Request(context, whatIf: true), new RecordingObserver(), Timeout);

        Assert.Equal(DeployOutcome.WhatIf, result.Outcome);
        Assert.Null(result.Stack);
        Assert.All(result.Changes, c => Assert.Equal("Add", c.Action));
        Assert.Equal(new[] { "cloudformation CreateChangeSet", "cloudformation DeleteChangeSet", "cloudformation DeleteStack" }, context.Aws.Mutations());
        Assert.Empty(context.Aws.S3.Buckets);
        Assert.False(context.Aws.CloudFormation.ExistsByName("BatchPs"));
    }

    [Fact]
    public async Task Deploy_to_a_rolled_back_stack_refuses_and_says_to_remove_it_first()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Seed("BatchPs", "ROLLBACK_COMPLETE", "t", new());
        using var admin = context.StackAdmin();

        var error = await Assert.ThrowsAsync<StackOperationException>(() => admin.DeployAsync(Request(context), new RecordingObserver(), Timeout));

        Assert.Equal("ROLLBACK_COMPLETE", error.StackStatus);
        Assert.Contains("Remove-BatchTriggerStack -StackName BatchPs", error.Message);
        Assert.Empty(context.Aws.Mutations());
    }

    [Fact]
    public async Task Deploy_to_a_busy_stack_refuses_without_changing_anything()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Seed("BatchPs", "UPDATE_IN_PROGRESS", "t", new());
        using var admin = context.StackAdmin();

        var error = await Assert.ThrowsAsync<StackOperationException>(() => admin.DeployAsync(Request(context), new RecordingObserver(), Timeout));

        Assert.Contains("busy (UPDATE_IN_PROGRESS)", error.Message);
        Assert.Empty(context.Aws.Mutations());
    }

    [Fact]
    public async Task A_failed_change_set_is_an_error_with_CloudFormations_reason_and_is_cleaned_up()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.ChangeSetFailReason = "Template format error: Unresolved resource dependencies [Queue] in the Resources block of the template";
        using var admin = context.StackAdmin();

        var error = await Assert.ThrowsAsync<StackOperationException>(() => admin.DeployAsync(Request(context), new RecordingObserver(), Timeout));

        Assert.Contains("Unresolved resource dependencies [Queue]", error.Message);
        Assert.Equal(0, context.Aws.CloudFormation.ChangeSetCount);
        Assert.False(context.Aws.CloudFormation.ExistsByName("BatchPs"));
    }

    [Fact]
    public async Task Throttled_calls_are_retried_with_backoff()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.ThrottleNext = 3;
        using var admin = context.StackAdmin();

        var result = await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);

        Assert.Equal(DeployOutcome.Created, result.Outcome);
        Assert.Equal(new[] { "DescribeStacks", "DescribeStacks", "DescribeStacks", "DescribeStacks" }, context.Aws.Actions("cloudformation").Take(4));
    }

    [Fact]
    public async Task A_skewed_local_clock_is_corrected_from_the_service_Date_header()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.ClockOffset = TimeSpan.FromHours(2);
        using var admin = context.StackAdmin();

        var stack = await admin.GetStackAsync("BatchPs", Timeout);

        Assert.Null(stack);
        Assert.Equal(new[] { "!RequestTimeTooSkewed", "DescribeStacks" }, context.Aws.Actions("cloudformation"));
    }

    [Fact]
    public async Task A_wrong_secret_key_is_an_access_error_naming_the_service_code()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = new StackAdmin(context.Options(secretKey: "not-the-secret"), AdminTestContext.FastRetry);

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => admin.GetStackAsync("BatchPs", Timeout));

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.True(error.IsAccessDenied);
        Assert.Equal("cloudformation", error.Service);
    }

    [Fact]
    public async Task An_unknown_access_key_is_InvalidClientTokenId()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = new StackAdmin(context.Options(accessKey: "AKIDUNKNOWN"), AdminTestContext.FastRetry);

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => admin.GetStackAsync("BatchPs", Timeout));

        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
        Assert.True(error.IsAccessDenied);
    }

    [Fact]
    public async Task The_default_artifact_bucket_owned_by_another_account_is_refused()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.S3.ForeignBuckets.Add("batchps-artifacts-123456789012-eu-west-1");
        using var admin = context.StackAdmin();

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => admin.DeployAsync(Request(context), new RecordingObserver(), Timeout));

        Assert.Equal("AccessDenied", error.ErrorCode);
        Assert.Contains("-ArtifactBucket", error.Message);
        Assert.DoesNotContain(context.Aws.Mutations(), m => m.Contains("CreateChangeSet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_named_artifact_bucket_that_does_not_exist_is_an_error_and_is_not_created()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        var request = Request(context);
        request.ArtifactBucket = "my-missing-bucket";

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => admin.DeployAsync(request, new RecordingObserver(), Timeout));

        Assert.Equal("NoSuchBucket", error.ErrorCode);
        Assert.Empty(context.Aws.S3.Buckets);
    }

    [Fact]
    public async Task Remove_deletes_the_stack_streams_its_events_and_waits_for_DELETE_COMPLETE()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);
        var observer = new RecordingObserver();

        var removed = await admin.RemoveAsync("BatchPs", observer, Timeout);

        Assert.Equal("DELETE_COMPLETE", removed!.Status);
        Assert.False(context.Aws.CloudFormation.ExistsByName("BatchPs"));
        Assert.Equal(("BatchPs", "DELETE_COMPLETE"), (observer.Events.Last().LogicalResourceId, observer.Events.Last().ResourceStatus));
        Assert.DoesNotContain(observer.Events, e => e.ResourceStatus.StartsWith("CREATE", StringComparison.Ordinal)); // only this operation's events
    }

    [Fact]
    public async Task Remove_of_a_missing_stack_returns_nothing_and_deletes_nothing()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();

        Assert.Null(await admin.RemoveAsync("Nope", new RecordingObserver(), Timeout));
        Assert.Empty(context.Aws.Mutations());
    }

    [Fact]
    public async Task Remove_that_fails_names_the_resource_that_could_not_be_deleted()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        await admin.DeployAsync(Request(context), new RecordingObserver(), Timeout);
        context.Aws.CloudFormation.FailResource = ("TriggerTable", "Table BatchPs-Triggers has deletion protection enabled");

        var error = await Assert.ThrowsAsync<StackOperationException>(() => admin.RemoveAsync("BatchPs", new RecordingObserver(), Timeout));

        Assert.Equal("DELETE_FAILED", error.StackStatus);
        Assert.Equal("TriggerTable", error.FailedResource);
        Assert.Contains("deletion protection", error.Message);
    }

    [Fact]
    public async Task LambdaPackagePath_replaces_the_file_the_templates_Code_names()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();
        var other = Path.Combine(context.Folder, "custom.zip");
        File.WriteAllBytes(other, new byte[] { 0x50, 0x4b, 42 });
        var request = Request(context);
        request.LambdaPackagePath = other;

        await admin.DeployAsync(request, new RecordingObserver(), Timeout);

        var zip = Assert.Single(context.Aws.S3.Objects, o => o.Key.EndsWith("-custom.zip", StringComparison.Ordinal));
        Assert.Equal(new byte[] { 0x50, 0x4b, 42 }, zip.Value);
        Assert.DoesNotContain(context.Aws.S3.Objects, o => o.Key.EndsWith("-BatchPs.Lambda.zip", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_local_file_the_template_names_but_that_is_missing_stops_the_deployment_before_any_change()
    {
        await using var context = await AdminTestContext.StartAsync();
        File.Delete(context.PackagePath);
        using var admin = context.StackAdmin();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => admin.DeployAsync(Request(context), new RecordingObserver(), Timeout));

        Assert.Contains("../artifacts/lambda/BatchPs.Lambda.zip", error.Message);
        Assert.Contains("dotnet publish lambda/BatchPs.Lambda", error.Message);
        Assert.Empty(context.Aws.Mutations());
    }

    [Fact]
    public async Task An_invalid_stack_name_is_refused_before_any_call()
    {
        await using var context = await AdminTestContext.StartAsync();
        using var admin = context.StackAdmin();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => admin.DeployAsync(Request(context, stackName: "1 bad name"), new RecordingObserver(), Timeout));

        Assert.Contains("must start with a letter", error.Message);
        Assert.Empty(context.Aws.Requests);
    }
}
