using System.Globalization;
using System.Xml.Linq;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Stacks;
using BatchPs.Aws;

namespace BatchPs.Admin.Aws.CloudFormation;

/// <summary>CloudFormation over the query protocol (API version 2010-05-15), answers read from the XML shapes of the API reference.</summary>
internal sealed class CloudFormationClient : AwsQueryClient, ICloudFormation
{
    internal const string ApiVersion = "2010-05-15";
    private const string Service = "cloudformation";
    private readonly string _region;

    public CloudFormationClient(AwsSession session, RetrySettings retry)
        : base(session.ClientSettings(retry), Service, ApiVersion, null) => _region = session.Region.SystemName;

    public async Task<StackInfo?> DescribeStackAsync(string stackName, CancellationToken cancellationToken)
    {
        XElement result;
        try
        {
            result = await Call("DescribeStacks", new[] { Pair("StackName", stackName) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsRequestException ex) when (ex.ErrorCode == "ValidationError" && ex.ServiceMessage.IndexOf("does not exist", StringComparison.Ordinal) >= 0)
        {
            return null;
        }
        var member = Child(result, "Stacks")?.Elements().FirstOrDefault();
        return member is null ? null : ReadStack(member);
    }

    public async Task<(string ChangeSetId, string StackId)> CreateChangeSetAsync(ChangeSetRequest request, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            Pair("StackName", request.StackName),
            Pair("ChangeSetName", request.ChangeSetName),
            Pair("ChangeSetType", request.ChangeSetType),
        };
        if (request.TemplateUrl is not null) parameters.Add(Pair("TemplateURL", request.TemplateUrl));
        else parameters.Add(Pair("TemplateBody", request.TemplateBody ?? ""));
        if (request.Description is not null) parameters.Add(Pair("Description", request.Description));
        var n = 0;
        foreach (var parameter in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            n++;
            parameters.Add(Pair($"Parameters.member.{n}.ParameterKey", parameter.Key));
            parameters.Add(Pair($"Parameters.member.{n}.ParameterValue", parameter.Value));
        }
        for (var i = 0; i < request.Capabilities.Count; i++)
            parameters.Add(Pair($"Capabilities.member.{i + 1}", request.Capabilities[i]));
        n = 0;
        foreach (var tag in request.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            n++;
            parameters.Add(Pair($"Tags.member.{n}.Key", tag.Key));
            parameters.Add(Pair($"Tags.member.{n}.Value", tag.Value));
        }
        var result = await Call("CreateChangeSet", parameters, cancellationToken).ConfigureAwait(false);
        return (Value(result, "Id") ?? "", Value(result, "StackId") ?? "");
    }

    public async Task<ChangeSetDescription> DescribeChangeSetAsync(string changeSetId, CancellationToken cancellationToken)
    {
        ChangeSetDescription? description = null;
        string? nextToken = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>> { Pair("ChangeSetName", changeSetId) };
            if (nextToken is not null) parameters.Add(Pair("NextToken", nextToken));
            var result = await Call("DescribeChangeSet", parameters, cancellationToken).ConfigureAwait(false);
            description ??= new ChangeSetDescription
            {
                ChangeSetId = Value(result, "ChangeSetId") ?? changeSetId,
                StackId = Value(result, "StackId") ?? "",
                Status = Value(result, "Status") ?? "",
                StatusReason = Value(result, "StatusReason"),
                ExecutionStatus = Value(result, "ExecutionStatus"),
            };
            foreach (var member in Child(result, "Changes")?.Elements() ?? Enumerable.Empty<XElement>())
            {
                var change = Child(member, "ResourceChange");
                if (change is null) continue;
                description.Changes.Add(new StackChangeInfo
                {
                    Action = Value(change, "Action") ?? "",
                    LogicalResourceId = Value(change, "LogicalResourceId") ?? "",
                    PhysicalResourceId = Value(change, "PhysicalResourceId"),
                    ResourceType = Value(change, "ResourceType") ?? "",
                    Replacement = Value(change, "Replacement"),
                    Scope = (Child(change, "Scope")?.Elements() ?? Enumerable.Empty<XElement>()).Select(e => e.Value).ToList(),
                });
            }
            nextToken = Value(result, "NextToken");
        }
        while (!string.IsNullOrEmpty(nextToken));
        return description!;
    }

    public Task ExecuteChangeSetAsync(string changeSetId, CancellationToken cancellationToken) =>
        Call("ExecuteChangeSet", new[] { Pair("ChangeSetName", changeSetId) }, cancellationToken);

    public Task DeleteChangeSetAsync(string changeSetId, CancellationToken cancellationToken) =>
        Call("DeleteChangeSet", new[] { Pair("ChangeSetName", changeSetId) }, cancellationToken);

    public async Task<(IReadOnlyList<StackEventInfo> Events, string? NextToken)> DescribeStackEventsAsync(string stackName, string? nextToken, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>> { Pair("StackName", stackName) };
        if (nextToken is not null) parameters.Add(Pair("NextToken", nextToken));
        var result = await Call("DescribeStackEvents", parameters, cancellationToken).ConfigureAwait(false);
        var events = (Child(result, "StackEvents")?.Elements() ?? Enumerable.Empty<XElement>()).Select(member => new StackEventInfo
        {
            EventId = Value(member, "EventId") ?? "",
            Timestamp = Time(member, "Timestamp") ?? default,
            LogicalResourceId = Value(member, "LogicalResourceId") ?? "",
            PhysicalResourceId = Value(member, "PhysicalResourceId"),
            ResourceType = Value(member, "ResourceType") ?? "",
            ResourceStatus = Value(member, "ResourceStatus") ?? "",
            ResourceStatusReason = Value(member, "ResourceStatusReason"),
        }).ToList();
        return (events, Value(result, "NextToken"));
    }

    public Task DeleteStackAsync(string stackName, CancellationToken cancellationToken) =>
        Call("DeleteStack", new[] { Pair("StackName", stackName) }, cancellationToken);

    private StackInfo ReadStack(XElement member)
    {
        var stack = new StackInfo
        {
            StackName = Value(member, "StackName") ?? "",
            StackId = Value(member, "StackId") ?? "",
            Status = Value(member, "StackStatus") ?? "",
            StatusReason = Value(member, "StackStatusReason"),
            CreationTime = Time(member, "CreationTime"),
            LastUpdatedTime = Time(member, "LastUpdatedTime"),
            Region = _region,
        };
        foreach (var output in Child(member, "Outputs")?.Elements() ?? Enumerable.Empty<XElement>())
        {
            if (Value(output, "OutputKey") is { } key) stack.Outputs[key] = Value(output, "OutputValue") ?? "";
        }
        foreach (var parameter in Child(member, "Parameters")?.Elements() ?? Enumerable.Empty<XElement>())
        {
            if (Value(parameter, "ParameterKey") is { } key) stack.Parameters[key] = Value(parameter, "ParameterValue") ?? "";
        }
        return stack;
    }

    private Task<XElement> Call(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(Service, action, Endpoint, () => InvokeAsync(action, parameters, cancellationToken), cancellationToken);

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);

    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Value(XElement parent, string name) => Child(parent, name)?.Value;

    private static DateTime? Time(XElement parent, string name) =>
        Value(parent, name) is { } text && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
