using System.Text.Json;
using System.Text.RegularExpressions;
using BatchPs.Core.Batch;
using BatchPs.Lambda;
using YamlDotNet.RepresentationModel;

namespace BatchPs.Cloud.Tests;

public sealed class TemplateTests
{
    private readonly CloudTemplate _template = CloudTemplate.Load();

    /// <summary>Actions the template grants on "*" because AWS authorizes them only there (no resource-level
    /// permissions). cloudformation/tests/specs.test.js checks every action against the Service Authorization
    /// Reference data; this list only keeps a new "*" from slipping in unnoticed.</summary>
    private static readonly HashSet<string> ActionsWithoutResourceLevelPermissions = new(StringComparer.Ordinal) { "batch:DescribeJobs", "dynamodb:ListStreams" };

    private static IEnumerable<YamlMappingNode> Statements(YamlMappingNode role)
    {
        var properties = CloudTemplate.Map(role, "Properties");
        if (CloudTemplate.Get(properties, "Policies") is not YamlSequenceNode policies) yield break;
        foreach (var policy in policies.Cast<YamlMappingNode>())
        {
            foreach (var statement in (YamlSequenceNode)CloudTemplate.Map(policy, "PolicyDocument").Children[new YamlScalarNode("Statement")])
            {
                if (statement is YamlMappingNode plain) yield return plain;
                // !If [Condition, statement, !Ref AWS::NoValue]
                else if (statement is YamlSequenceNode conditional && CloudTemplate.TagOf(conditional) == "!If" && conditional[1] is YamlMappingNode inner) yield return inner;
            }
        }
    }

    private static IEnumerable<YamlScalarNode> ScalarsOf(YamlNode node) => node switch
    {
        YamlScalarNode s => new[] { s },
        YamlSequenceNode list => list.SelectMany(ScalarsOf),
        _ => Enumerable.Empty<YamlScalarNode>(),
    };

    [Fact]
    public void Template_loads_as_yaml_with_CloudFormation_tags()
    {
        Assert.Equal("2010-09-09", CloudTemplate.Scalar(_template.Root, "AWSTemplateFormatVersion"));
        Assert.Contains(_template.Resources.AllNodes, n => CloudTemplate.TagOf(n) == "!GetAtt");
        Assert.Contains(_template.Resources.AllNodes, n => CloudTemplate.TagOf(n) == "!Sub");
        Assert.True(_template.Resources.Children.Count > 30);
    }

    [Fact]
    public void Every_role_is_least_privilege_with_commented_wildcards_only()
    {
        var roles = _template.ResourcesOfType("AWS::IAM::Role").ToList();
        Assert.NotEmpty(roles);
        foreach (var (name, role) in roles)
        {
            var properties = CloudTemplate.Map(role, "Properties");
            if (CloudTemplate.Get(properties, "ManagedPolicyArns") is YamlSequenceNode managed)
            {
                // Only AWS's own policy for API Gateway's account-level logging role, which that feature requires.
                Assert.All(managed, arn => Assert.EndsWith("service-role/AmazonAPIGatewayPushToCloudWatchLogs", ((YamlScalarNode)arn).Value));
            }
            foreach (var statement in Statements(role))
            {
                var sid = CloudTemplate.Scalar(statement, "Sid");
                Assert.Equal("Allow", CloudTemplate.Scalar(statement, "Effect"));
                var actions = ScalarsOf(statement.Children[new YamlScalarNode("Action")]).Select(a => a.Value!).ToList();
                Assert.All(actions, action => Assert.Matches("^[a-z0-9-]+:[A-Za-z]+$", action)); // no "*", no "service:*", no "Get*"
                foreach (var resource in ScalarsOf(statement.Children[new YamlScalarNode("Resource")]))
                {
                    if (!resource.Value!.Contains('*')) continue;
                    var comment = _template.CommentsAbove(resource, statement);
                    Assert.True(comment.Contains("Wildcard", StringComparison.Ordinal),
                        $"{name}/{sid}: resource '{resource.Value}' has a wildcard without a comment saying why AWS requires it");
                    if (resource.Value == "*")
                        Assert.All(actions, action => Assert.Contains(action, ActionsWithoutResourceLevelPermissions));
                }
            }
        }
    }

    [Fact]
    public void Each_function_and_the_state_machine_has_its_own_role()
    {
        var users = new List<string>();
        foreach (var (_, function) in _template.ResourcesOfType("AWS::Lambda::Function"))
            users.Add(CloudTemplate.Reference(CloudTemplate.Get(CloudTemplate.Map(function, "Properties"), "Role"))!);
        foreach (var (_, machine) in _template.ResourcesOfType("AWS::StepFunctions::StateMachine"))
            users.Add(CloudTemplate.Reference(CloudTemplate.Get(CloudTemplate.Map(machine, "Properties"), "RoleArn"))!);
        Assert.Equal(users.Count, users.Distinct().Count());
        Assert.All(users, role => Assert.Equal("AWS::IAM::Role", CloudTemplate.Scalar(CloudTemplate.Map(_template.Resources, role), "Type")));
    }

    [Fact]
    public void Stream_mapping_filters_inserts_and_cancels_reports_item_failures_bisects_bounds_retries_and_parks_failures_on_sqs()
    {
        var mapping = _template.Properties("StreamMapping");

        var filters = (YamlSequenceNode)CloudTemplate.Map(mapping, "FilterCriteria").Children[new YamlScalarNode("Filters")];
        var patterns = filters.Select(f => JsonSerializer.Serialize(JsonDocument.Parse(CloudTemplate.Scalar((YamlMappingNode)f, "Pattern")!).RootElement)).ToList();
        Assert.Equal(new[]
        {
            "{\"eventName\":[\"INSERT\"]}",
            "{\"eventName\":[\"MODIFY\"],\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"CANCELLED\"]}}}}",
        }, patterns);
        Assert.Equal(new[] { "ReportBatchItemFailures" }, ScalarsOf(CloudTemplate.Get(mapping, "FunctionResponseTypes")!).Select(s => s.Value));
        Assert.Equal("true", CloudTemplate.Scalar(mapping, "BisectBatchOnFunctionError"));
        Assert.InRange(int.Parse(CloudTemplate.Scalar(mapping, "MaximumRetryAttempts")!, System.Globalization.CultureInfo.InvariantCulture), 1, 10);
        var destination = CloudTemplate.Get(CloudTemplate.Map(CloudTemplate.Map(mapping, "DestinationConfig"), "OnFailure"), "Destination");
        Assert.Equal("AWS::SQS::Queue", CloudTemplate.Scalar(CloudTemplate.Map(_template.Resources, CloudTemplate.Reference(destination)!), "Type"));
        Assert.Equal("TriggerTable", CloudTemplate.Reference(CloudTemplate.Get(mapping, "EventSourceArn")));
    }

    [Fact]
    public void Trigger_table_is_on_demand_encrypted_recoverable_streamed_and_expires_records()
    {
        var table = _template.Properties("TriggerTable");

        Assert.Equal("PAY_PER_REQUEST", CloudTemplate.Scalar(table, "BillingMode"));
        Assert.Equal("true", CloudTemplate.Scalar(CloudTemplate.Map(table, "SSESpecification"), "SSEEnabled"));
        Assert.Equal("true", CloudTemplate.Scalar(CloudTemplate.Map(table, "PointInTimeRecoverySpecification"), "PointInTimeRecoveryEnabled"));
        Assert.Equal(BatchPs.Core.Triggers.TriggerItem.ExpiresAt, CloudTemplate.Scalar(CloudTemplate.Map(table, "TimeToLiveSpecification"), "AttributeName"));
        Assert.Equal("NEW_IMAGE", CloudTemplate.Scalar(CloudTemplate.Map(table, "StreamSpecification"), "StreamViewType"));
    }

    [Fact]
    public void State_machine_uses_the_definition_file_the_local_stack_loads_with_its_substitutions()
    {
        var machine = _template.Properties("TriggerStateMachine");
        var location = CloudTemplate.Scalar(machine, "DefinitionS3Location")!;
        var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(_template.Path)!, location));

        Assert.Equal(Path.GetFullPath(Path.Combine(CloudTemplate.RepositoryRoot, TriggerWorkflowDefinition.RepositoryPath)), file);
        var substitutions = CloudTemplate.Map(machine, "DefinitionSubstitutions").Children.Keys.Select(k => ((YamlScalarNode)k).Value).OrderBy(k => k);
        var definition = File.ReadAllText(file);
        Assert.Equal(TriggerWorkflowDefinition.Substitutions.OrderBy(k => k), substitutions);
        Assert.Equal(TriggerWorkflowDefinition.Substitutions.OrderBy(k => k), TriggerWorkflowDefinition.PlaceholdersIn(definition).OrderBy(k => k));
    }

    [Fact]
    public void Definition_stays_within_what_the_local_interpreter_runs()
    {
        var path = Path.Combine(CloudTemplate.RepositoryRoot, TriggerWorkflowDefinition.RepositoryPath);
        using var definition = JsonDocument.Parse(File.ReadAllText(path));
        var allowed = new[] { "arn:aws:states:::batch:submitJob.sync", "arn:aws:states:::dynamodb:updateItem", "arn:aws:states:::dynamodb:getItem" };

        Assert.False(definition.RootElement.TryGetProperty("QueryLanguage", out _), "JSONPath only");
        var resources = definition.RootElement.EnumerateObject().Concat(Descendants(definition.RootElement))
            .Where(p => p.Name == "Resource").Select(p => p.Value.GetString()).ToList();
        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Contains(r, allowed));
        Assert.DoesNotContain(Descendants(definition.RootElement), p => p.Name is "Arguments" or "Output" or "Assign" or "QueryLanguage");
    }

    private static IEnumerable<JsonProperty> Descendants(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                yield return p;
                foreach (var d in Descendants(p.Value)) yield return d;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var d in Descendants(item)) yield return d;
        }
    }

    [Fact]
    public void Lambda_runs_dotnet10_with_the_handler_and_environment_the_code_defines()
    {
        var function = _template.Properties("StreamFunction");
        var type = typeof(Function);

        Assert.Equal("dotnet10", CloudTemplate.Scalar(function, "Runtime"));
        Assert.Equal($"{type.Assembly.GetName().Name}::{type.FullName}::{nameof(Function.HandleAsync)}", CloudTemplate.Scalar(function, "Handler"));
        var variables = CloudTemplate.Map(CloudTemplate.Map(function, "Environment"), "Variables").Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order();
        Assert.Equal(new[] { LambdaEnvironment.CatalogTable, LambdaEnvironment.StateMachineArn, LambdaEnvironment.TriggerTable }.Order(), variables);
        var code = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(_template.Path)!, CloudTemplate.Scalar(function, "Code")!));
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(CloudTemplate.RepositoryRoot, "lambda", "BatchPs.Lambda", "BatchPs.Lambda.csproj"));
        var zip = project.Descendants("LambdaZipPath").Single().Value;
        Assert.Contains("artifacts/lambda/BatchPs.Lambda.zip", zip);
        Assert.Equal(Path.Combine(CloudTemplate.RepositoryRoot, "artifacts", "lambda", "BatchPs.Lambda.zip"), code);
    }

    [Fact]
    public void Api_writes_and_single_reads_integrate_DynamoDB_directly_and_the_other_reads_proxy_to_the_read_Lambda()
    {
        var methods = _template.ResourcesOfType("AWS::ApiGateway::Method").ToDictionary(m => m.Name, m => CloudTemplate.Map(m.Resource, "Properties"));
        Assert.Equal(7, methods.Count);
        var direct = new[] { "PostTriggerMethod", "GetTriggerMethod", "CancelTriggerMethod" };
        foreach (var name in direct)
        {
            var integration = CloudTemplate.Map(methods[name], "Integration");
            Assert.Equal("AWS", CloudTemplate.Scalar(integration, "Type"));
            Assert.Matches(":dynamodb:action/(UpdateItem|GetItem)$", ((YamlScalarNode)CloudTemplate.Get(integration, "Uri")!).Value!);
        }
        // GET /triggers, GET /triggers/{id}/log, GET /triggers/{id}/history, GET /jobs: the read Lambda, by proxy.
        var routes = new Dictionary<string, (string Resource, string? PathPart)>
        {
            ["ListTriggersMethod"] = ("TriggersResource", null),
            ["GetLogMethod"] = ("LogResource", "log"),
            ["GetHistoryMethod"] = ("HistoryResource", "history"),
            ["GetJobsMethod"] = ("JobsResource", null),
        };
        foreach (var (name, (resource, pathPart)) in routes)
        {
            var method = methods[name];
            Assert.Equal("GET", CloudTemplate.Scalar(method, "HttpMethod"));
            Assert.Equal(resource, CloudTemplate.Reference(CloudTemplate.Get(method, "ResourceId")));
            if (pathPart is not null)
            {
                Assert.Equal(pathPart, CloudTemplate.Scalar(_template.Properties(resource), "PathPart"));
                Assert.Equal("TriggerResource", CloudTemplate.Reference(CloudTemplate.Get(_template.Properties(resource), "ParentId")));
            }
            var integration = CloudTemplate.Map(method, "Integration");
            Assert.Equal("AWS_PROXY", CloudTemplate.Scalar(integration, "Type"));
            Assert.Equal("POST", CloudTemplate.Scalar(integration, "IntegrationHttpMethod"));
            Assert.Contains("/functions/${ReadFunction.Arn}/invocations", ((YamlScalarNode)CloudTemplate.Get(integration, "Uri")!).Value!);
            // The same authorization as every other route: the API key, or SigV4 in IAM mode.
            foreach (var field in new[] { "AuthorizationType", "ApiKeyRequired" })
                Assert.Equal(CloudTemplate.Get(methods["GetTriggerMethod"], field)!.ToString(), CloudTemplate.Get(method, field)!.ToString());
        }
        var deployment = (YamlSequenceNode)CloudTemplate.Get(CloudTemplate.Map(_template.Resources, "ApiDeployment"), "DependsOn")!;
        Assert.Superset(methods.Keys.ToHashSet(), deployment.Select(d => ((YamlScalarNode)d).Value!).ToHashSet());
        Assert.NotNull(CloudTemplate.Get(_template.Properties("ApiStage"), "AccessLogSetting"));
    }

    [Fact]
    public void Read_Lambda_is_the_same_package_with_its_handler_environment_invoke_permission_and_a_read_only_role()
    {
        var function = _template.Properties("ReadFunction");
        var type = typeof(ReadFunction);
        Assert.Equal($"{type.Assembly.GetName().Name}::{type.FullName}::{nameof(ReadFunction.HandleAsync)}", CloudTemplate.Scalar(function, "Handler"));
        Assert.Equal(CloudTemplate.Scalar(_template.Properties("StreamFunction"), "Code"), CloudTemplate.Scalar(function, "Code"));
        Assert.Equal("dotnet10", CloudTemplate.Scalar(function, "Runtime"));
        Assert.True(int.Parse(CloudTemplate.Scalar(function, "Timeout")!, System.Globalization.CultureInfo.InvariantCulture) <= 29, "API Gateway waits 29 s for an integration");
        var variables = CloudTemplate.Map(CloudTemplate.Map(function, "Environment"), "Variables").Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order();
        Assert.Equal(new[] { LambdaEnvironment.TriggerTable, LambdaEnvironment.CatalogTable, LambdaEnvironment.StateMachineArn, LambdaEnvironment.JobLogGroup }.Order(), variables);

        var permission = _template.Properties("ReadFunctionPermission");
        Assert.Equal("ReadFunction", CloudTemplate.Reference(CloudTemplate.Get(permission, "FunctionName")));
        Assert.Equal("apigateway.amazonaws.com", CloudTemplate.Scalar(permission, "Principal"));
        Assert.Equal("lambda:InvokeFunction", CloudTemplate.Scalar(permission, "Action"));
        Assert.EndsWith(":${Api}/*/GET/*", ((YamlScalarNode)CloudTemplate.Get(permission, "SourceArn")!).Value!);

        var role = CloudTemplate.Map(_template.Resources, "ReadFunctionRole");
        var grants = Statements(role).SelectMany(s => ScalarsOf(s.Children[new YamlScalarNode("Action")]).Select(a => (Action: a.Value!, Resources: ScalarsOf(s.Children[new YamlScalarNode("Resource")]).Select(r => r.Value!).ToList(), Statement: s))).ToList();
        Assert.Equal(new[] { "batch:DescribeJobs", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "logs:CreateLogStream", "logs:GetLogEvents", "logs:PutLogEvents", "states:GetExecutionHistory" }, grants.Select(g => g.Action).Order());
        Assert.Equal("*", grants.Single(g => g.Action == "batch:DescribeJobs").Resources.Single());
        Assert.Equal("CatalogTable", CloudTemplate.Reference(CloudTemplate.Get(grants.Single(g => g.Action == "dynamodb:Scan").Statement, "Resource")));
        Assert.Equal(new[] { "${TriggerTable.Arn}/index/byJob", "${TriggerTable.Arn}/index/byCreated" }, grants.Single(g => g.Action == "dynamodb:Query").Resources);
        Assert.Equal("TriggerTable", CloudTemplate.Reference(CloudTemplate.Get(grants.Single(g => g.Action == "dynamodb:GetItem").Statement, "Resource")));
        Assert.Contains(":execution:${TriggerStateMachine.Name}:*", grants.Single(g => g.Action == "states:GetExecutionHistory").Resources.Single());
    }

    [Fact]
    public void Trigger_table_has_the_list_indexes_the_read_Lambda_queries()
    {
        var table = _template.Properties("TriggerTable");
        var indexes = ((YamlSequenceNode)CloudTemplate.Get(table, "GlobalSecondaryIndexes")!).Cast<YamlMappingNode>().ToDictionary(i => CloudTemplate.Scalar(i, "IndexName")!);
        Assert.Equal(new[] { Core.Triggers.TriggerItem.AllIndex, Core.Triggers.TriggerItem.JobIndex }.Order(), indexes.Keys.Order());
        string[] Keys(string index) => ((YamlSequenceNode)CloudTemplate.Get(indexes[index], "KeySchema")!).Cast<YamlMappingNode>().Select(k => CloudTemplate.Scalar(k, "AttributeName")! + "/" + CloudTemplate.Scalar(k, "KeyType")).ToArray();
        Assert.Equal(new[] { "jobName/HASH", Core.Triggers.TriggerItem.CreatedKey + "/RANGE" }, Keys(Core.Triggers.TriggerItem.JobIndex));
        Assert.Equal(new[] { Core.Triggers.TriggerItem.ListPartition + "/HASH", Core.Triggers.TriggerItem.CreatedKey + "/RANGE" }, Keys(Core.Triggers.TriggerItem.AllIndex));
        Assert.All(indexes.Values, i => Assert.Equal("ALL", CloudTemplate.Scalar(CloudTemplate.Map(i, "Projection"), "ProjectionType")));
        var defined = ((YamlSequenceNode)CloudTemplate.Get(table, "AttributeDefinitions")!).Cast<YamlMappingNode>().Select(a => CloudTemplate.Scalar(a, "AttributeName")).Order();
        Assert.Equal(new[] { "createdKey", "jobName", "listPartition", "triggerId" }, defined);
        // The POST mapping template writes both index keys on every new trigger (Core's TriggerItem writes them locally).
        var post = CloudTemplate.Scalar(CloudTemplate.Map(CloudTemplate.Map(_template.Properties("PostTriggerMethod"), "Integration"), "RequestTemplates"), "application/json")!;
        Assert.Contains("#listPartition = if_not_exists(#listPartition, :listPartition)", post);
        Assert.Contains($"\":listPartition\": {{\"S\": \"{Core.Triggers.TriggerItem.ListPartitionValue}\"}}", post);
        Assert.Contains("\":createdKey\": {\"S\": \"$now|$triggerId\"}", post);
    }

    [Fact]
    public void Outputs_give_what_callers_and_admins_need()
    {
        var outputs = CloudTemplate.Map(_template.Root, "Outputs").Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Superset(new HashSet<string?>(new[] { "ApiEndpoint", "ApiKeyId", "TriggerTableName", "CatalogTableName", "StateMachineArn", "DeadLetterQueueUrl" }), new HashSet<string?>(outputs));
    }

    [Fact]
    public void Every_reference_names_a_resource_parameter_or_condition()
    {
        var resources = _template.Resources.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var parameters = CloudTemplate.Map(_template.Root, "Parameters").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var conditions = CloudTemplate.Map(_template.Root, "Conditions").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        bool Known(string name) => resources.Contains(name) || parameters.Contains(name) || name.StartsWith("AWS::", StringComparison.Ordinal);

        foreach (var node in _template.Root.AllNodes)
        {
            switch (CloudTemplate.TagOf(node))
            {
                case "!Ref":
                    Assert.True(Known(((YamlScalarNode)node).Value!), $"!Ref {((YamlScalarNode)node).Value} (line {node.Start.Line})");
                    break;
                case "!GetAtt":
                    Assert.Contains(((YamlScalarNode)node).Value!.Split('.')[0], resources);
                    break;
                case "!If":
                    Assert.Contains(((YamlScalarNode)((YamlSequenceNode)node)[0]).Value!, conditions);
                    break;
                case "!Sub":
                    var text = node is YamlScalarNode scalar ? scalar.Value! : ((YamlScalarNode)((YamlSequenceNode)node)[0]).Value!;
                    var local = node is YamlSequenceNode list && list[1] is YamlMappingNode vars
                        ? vars.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet() : new HashSet<string>();
                    foreach (Match match in Regex.Matches(text, "\\$\\{([^!}][^}]*)\\}"))
                    {
                        var name = match.Groups[1].Value.Split('.')[0];
                        Assert.True(Known(name) || local.Contains(name), $"${{{match.Groups[1].Value}}} in !Sub at line {node.Start.Line}");
                    }
                    break;
            }
        }
        foreach (var resource in _template.Resources.Children.Values.Cast<YamlMappingNode>())
        {
            if (CloudTemplate.Scalar(resource, "Condition") is { } condition) Assert.Contains(condition, conditions);
            if (CloudTemplate.Get(resource, "DependsOn") is { } dependsOn)
                Assert.All(ScalarsOf(dependsOn), d => Assert.Contains(d.Value!, resources));
        }
    }

    [Fact]
    public void Conditional_resources_are_used_only_under_their_condition()
    {
        var conditionOf = _template.Resources.Children
            .Where(r => CloudTemplate.Scalar((YamlMappingNode)r.Value, "Condition") is not null)
            .ToDictionary(r => ((YamlScalarNode)r.Key).Value!, r => CloudTemplate.Scalar((YamlMappingNode)r.Value, "Condition")!);
        Assert.NotEmpty(conditionOf);

        void Walk(YamlNode node, string? owner, IReadOnlyCollection<string> guards)
        {
            string? target = CloudTemplate.Reference(node);
            if (CloudTemplate.TagOf(node) == "!Sub")
            {
                var text = node is YamlScalarNode s ? s.Value! : ((YamlScalarNode)((YamlSequenceNode)node)[0]).Value!;
                foreach (Match match in Regex.Matches(text, "\\$\\{([^!}][^}.]*)"))
                    Check(match.Groups[1].Value);
            }
            if (target is not null) Check(target);

            void Check(string name)
            {
                if (!conditionOf.TryGetValue(name, out var needed)) return;
                var ownCondition = owner is not null && conditionOf.TryGetValue(owner, out var c) ? c : null;
                Assert.True(ownCondition == needed || guards.Contains(needed),
                    $"{owner ?? "Outputs"} uses {name} (condition {needed}) outside !If [{needed}, ...] (line {node.Start.Line})");
            }

            if (node is YamlSequenceNode sequence)
            {
                if (CloudTemplate.TagOf(sequence) == "!If")
                {
                    var condition = ((YamlScalarNode)sequence[0]).Value!;
                    Walk(sequence[1], owner, guards.Append(condition).ToList());
                    Walk(sequence[2], owner, guards);
                }
                else
                {
                    foreach (var child in sequence) Walk(child, owner, guards);
                }
            }
            else if (node is YamlMappingNode mapping)
            {
                foreach (var child in mapping.Children.Values) Walk(child, owner, guards);
            }
        }

        foreach (var resource in _template.Resources.Children)
            Walk(resource.Value, ((YamlScalarNode)resource.Key).Value, Array.Empty<string>());
        foreach (var output in CloudTemplate.Map(_template.Root, "Outputs").Children.Values.Cast<YamlMappingNode>())
            Walk(output, null, CloudTemplate.Scalar(output, "Condition") is { } c ? new[] { c } : Array.Empty<string>());
    }

    [Fact]
    public void Every_parameter_is_documented()
    {
        foreach (var parameter in CloudTemplate.Map(_template.Root, "Parameters").Children)
            Assert.False(string.IsNullOrWhiteSpace(CloudTemplate.Scalar((YamlMappingNode)parameter.Value, "Description")), ((YamlScalarNode)parameter.Key).Value);
        var readme = File.ReadAllText(Path.Combine(CloudTemplate.RepositoryRoot, "cloudformation", "README.md"));
        foreach (var parameter in CloudTemplate.Map(_template.Root, "Parameters").Children.Keys)
            Assert.Matches(new Regex("\\b" + ((YamlScalarNode)parameter).Value + "\\b"), readme);
    }
}
