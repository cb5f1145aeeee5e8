using System.Globalization;
using System.Security;
using System.Text;

namespace BatchPs.TestSupport.Aws;

/// <summary>
/// CloudFormation's query API (2010-05-15) for the calls the deployer makes, with the XML shapes of the API
/// reference. Time is simulated: each DescribeStacks of a stack that is being worked on advances it one
/// step (events appear, the status moves), so tests never wait on a clock.
/// </summary>
public sealed class FakeCloudFormation
{
    private const string Ns = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private readonly object _gate = new();
    private readonly Dictionary<string, Stack> _stacksById = new();
    private readonly Dictionary<string, ChangeSet> _changeSets = new();
    private int _eventCounter;

    /// <summary>The resources every template creates, in creation order.</summary>
    public List<(string LogicalId, string Type)> Resources { get; } = new()
    {
        ("TriggerTable", "AWS::DynamoDB::Table"),
        ("StreamFunction", "AWS::Lambda::Function"),
        ("TriggerApi", "AWS::ApiGateway::RestApi"),
    };

    /// <summary>The resource whose creation, update or deletion fails, and CloudFormation's reason.</summary>
    public (string LogicalId, string Reason)? FailResource { get; set; }
    /// <summary>Forces the change set to FAILED with this reason.</summary>
    public string? ChangeSetFailReason { get; set; }

    public Dictionary<string, string> Outputs { get; } = new()
    {
        ["ApiEndpoint"] = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
        ["ApiKeyId"] = "k3y1d",
        ["TriggerTableName"] = "BatchPs-Triggers",
        ["CatalogTableName"] = "BatchPs-Catalog",
        ["StateMachineArn"] = "arn:aws:states:eu-west-1:123456789012:stateMachine:BatchPs",
    };

    /// <summary>The last CreateChangeSet call's form fields.</summary>
    public Dictionary<string, string>? LastChangeSetForm { get; private set; }

    /// <summary>Puts a stack straight into <paramref name="status"/> with the given template and parameters.</summary>
    public string Seed(string name, string status, string template, Dictionary<string, string> parameters)
    {
        lock (_gate)
        {
            var stack = NewStack(name);
            stack.Status = status;
            stack.Template = template;
            stack.Parameters = parameters;
            AddEvent(stack, name, "AWS::CloudFormation::Stack", status, null);
            return stack.Id;
        }
    }

    public string? StatusOf(string name)
    {
        lock (_gate) return FindByName(name)?.Status;
    }

    public bool ExistsByName(string name)
    {
        lock (_gate) return FindByName(name) is not null;
    }

    public int ChangeSetCount
    {
        get { lock (_gate) return _changeSets.Count; }
    }

    public (int Status, string Xml) Handle(string action, Dictionary<string, string> form)
    {
        lock (_gate)
        {
            return action switch
            {
                "DescribeStacks" => DescribeStacks(form["StackName"]),
                "CreateChangeSet" => CreateChangeSet(form),
                "DescribeChangeSet" => DescribeChangeSet(form),
                "ExecuteChangeSet" => ExecuteChangeSet(form["ChangeSetName"]),
                "DeleteChangeSet" => DeleteChangeSet(form["ChangeSetName"]),
                "DescribeStackEvents" => DescribeStackEvents(form),
                "DeleteStack" => DeleteStack(form["StackName"]),
                _ => (400, Error("InvalidAction", $"The action {action} is not valid for this web service.")),
            };
        }
    }

    public static string Error(string code, string message) =>
        $"<ErrorResponse xmlns=\"{Ns}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>";

    private static string Ok(string action, string result) =>
        $"<{action}Response xmlns=\"{Ns}\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>";

    private (int, string) DescribeStacks(string nameOrId)
    {
        var stack = Find(nameOrId);
        if (stack is null) return (400, Error("ValidationError", $"Stack with id {nameOrId} does not exist"));
        if (stack.Steps.Count > 0) stack.Steps.Dequeue()();
        var xml = new StringBuilder("<Stacks><member>");
        xml.Append(CultureInfo.InvariantCulture, $"<StackName>{stack.Name}</StackName><StackId>{stack.Id}</StackId><StackStatus>{stack.Status}</StackStatus>");
        if (stack.StatusReason is not null) xml.Append(CultureInfo.InvariantCulture, $"<StackStatusReason>{SecurityElement.Escape(stack.StatusReason)}</StackStatusReason>");
        xml.Append(CultureInfo.InvariantCulture, $"<CreationTime>{stack.Created:yyyy-MM-ddTHH:mm:ss.fffZ}</CreationTime>");
        xml.Append("<Parameters>");
        foreach (var p in stack.Parameters)
            xml.Append(CultureInfo.InvariantCulture, $"<member><ParameterKey>{p.Key}</ParameterKey><ParameterValue>{SecurityElement.Escape(p.Value)}</ParameterValue></member>");
        xml.Append("</Parameters>");
        if (stack.Status is "CREATE_COMPLETE" or "UPDATE_COMPLETE")
        {
            xml.Append("<Outputs>");
            foreach (var o in Outputs)
                xml.Append(CultureInfo.InvariantCulture, $"<member><OutputKey>{o.Key}</OutputKey><OutputValue>{o.Value}</OutputValue><Description>d</Description></member>");
            xml.Append("</Outputs>");
        }
        xml.Append("<Capabilities><member>CAPABILITY_IAM</member></Capabilities></member></Stacks>");
        return (200, Ok("DescribeStacks", xml.ToString()));
    }

    private (int, string) CreateChangeSet(Dictionary<string, string> form)
    {
        LastChangeSetForm = form;
        var name = form["StackName"];
        var type = form.GetValueOrDefault("ChangeSetType", "UPDATE");
        var stack = FindByName(name);
        if (type == "CREATE")
        {
            if (stack is not null && stack.Status != "REVIEW_IN_PROGRESS")
                return (400, Error("AlreadyExistsException", $"Stack [{name}] already exists and cannot be created again with the changeSet [{form["ChangeSetName"]}]."));
            if (stack is null)
            {
                stack = NewStack(name);
                stack.Status = "REVIEW_IN_PROGRESS";
                AddEvent(stack, name, "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated");
            }
        }
        else if (stack is null)
        {
            return (400, Error("ValidationError", $"Stack [{name}] does not exist"));
        }
        if (!form.ContainsKey("Capabilities.member.1"))
            return (400, Error("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"));

        var parameters = new Dictionary<string, string>();
        for (var n = 1; form.TryGetValue($"Parameters.member.{n}.ParameterKey", out var key); n++)
            parameters[key] = form[$"Parameters.member.{n}.ParameterValue"];
        var template = form.GetValueOrDefault("TemplateBody") ?? form.GetValueOrDefault("TemplateURL") ?? "";
        var changeSet = new ChangeSet
        {
            Id = $"arn:aws:cloudformation:eu-west-1:123456789012:changeSet/{form["ChangeSetName"]}/{Guid.NewGuid()}",
            Stack = stack,
            Type = type,
            Template = template,
            Parameters = parameters,
        };
        if (ChangeSetFailReason is not null)
        {
            changeSet.FinalStatus = "FAILED";
            changeSet.Reason = ChangeSetFailReason;
        }
        else if (type == "UPDATE" && stack.Template == template && stack.Parameters.Count == parameters.Count && !stack.Parameters.Except(parameters).Any())
        {
            changeSet.FinalStatus = "FAILED";
            changeSet.Reason = "The submitted information didn't contain changes. Submit different information to create a change set.";
        }
        else
        {
            changeSet.Changes = Resources.Select(r => (type == "CREATE" ? "Add" : "Modify", r.LogicalId, r.Type)).ToList();
        }
        _changeSets[changeSet.Id] = changeSet;
        return (200, Ok("CreateChangeSet", $"<Id>{changeSet.Id}</Id><StackId>{stack.Id}</StackId>"));
    }

    private (int, string) DescribeChangeSet(Dictionary<string, string> form)
    {
        if (!_changeSets.TryGetValue(form["ChangeSetName"], out var changeSet))
            return (400, Error("ChangeSetNotFound", $"ChangeSet [{form["ChangeSetName"]}] does not exist"));
        changeSet.Describes++;
        var status = changeSet.Describes switch { 1 => "CREATE_PENDING", 2 => "CREATE_IN_PROGRESS", _ => changeSet.FinalStatus };
        // Two changes per page, so callers must follow NextToken.
        var start = form.TryGetValue("NextToken", out var token) ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<ChangeSetName>x</ChangeSetName><ChangeSetId>{changeSet.Id}</ChangeSetId><StackId>{changeSet.Stack.Id}</StackId><StackName>{changeSet.Stack.Name}</StackName>");
        xml.Append(CultureInfo.InvariantCulture, $"<Status>{status}</Status><ExecutionStatus>{(status == "CREATE_COMPLETE" ? "AVAILABLE" : "UNAVAILABLE")}</ExecutionStatus>");
        if (status == "FAILED") xml.Append(CultureInfo.InvariantCulture, $"<StatusReason>{SecurityElement.Escape(changeSet.Reason)}</StatusReason>");
        if (status == "CREATE_COMPLETE")
        {
            xml.Append("<Changes>");
            foreach (var (action, id, type) in changeSet.Changes.Skip(start).Take(2))
            {
                xml.Append(CultureInfo.InvariantCulture, $"<member><Type>Resource</Type><ResourceChange><Action>{action}</Action><LogicalResourceId>{id}</LogicalResourceId><ResourceType>{type}</ResourceType>");
                if (action == "Modify") xml.Append(CultureInfo.InvariantCulture, $"<PhysicalResourceId>phys-{id}</PhysicalResourceId><Replacement>False</Replacement><Scope><member>Properties</member></Scope>");
                xml.Append("</ResourceChange></member>");
            }
            xml.Append("</Changes>");
            if (start + 2 < changeSet.Changes.Count) xml.Append(CultureInfo.InvariantCulture, $"<NextToken>{start + 2}</NextToken>");
        }
        return (200, Ok("DescribeChangeSet", xml.ToString()));
    }

    private (int, string) ExecuteChangeSet(string id)
    {
        if (!_changeSets.TryGetValue(id, out var changeSet)) return (400, Error("ChangeSetNotFound", $"ChangeSet [{id}] does not exist"));
        if (changeSet.FinalStatus != "CREATE_COMPLETE" || changeSet.Describes < 3)
            return (400, Error("InvalidChangeSetStatus", "ChangeSet is in an invalid state for execution"));
        var stack = changeSet.Stack;
        stack.Template = changeSet.Template;
        stack.Parameters = changeSet.Parameters;
        _changeSets.Remove(id); // an executed change set goes away
        var verb = changeSet.Type == "CREATE" ? "CREATE" : "UPDATE";
        Step(stack, () => SetStatus(stack, $"{verb}_IN_PROGRESS", "User Initiated"));
        foreach (var (logicalId, type) in Resources)
        {
            if (FailResource is { } fail && fail.LogicalId == logicalId)
            {
                Step(stack, () => AddEvent(stack, logicalId, type, $"{verb}_IN_PROGRESS", null));
                Step(stack, () => AddEvent(stack, logicalId, type, $"{verb}_FAILED", fail.Reason));
                var others = Resources.Where(r => r.LogicalId != logicalId).ToList();
                Step(stack, () =>
                {
                    foreach (var other in others.Skip(others.Count - 1))
                        AddEvent(stack, other.LogicalId, other.Type, $"{verb}_FAILED", "Resource creation cancelled");
                });
                var rollback = verb == "CREATE" ? "ROLLBACK" : "UPDATE_ROLLBACK";
                Step(stack, () => SetStatus(stack, $"{rollback}_IN_PROGRESS", $"The following resource(s) failed to {verb.ToLowerInvariant()}: [{logicalId}]. Rollback requested by user."));
                Step(stack, () => { foreach (var r in Resources) AddEvent(stack, r.LogicalId, r.Type, "DELETE_COMPLETE", null); });
                Step(stack, () => SetStatus(stack, $"{rollback}_COMPLETE", null));
                return (200, Ok("ExecuteChangeSet", ""));
            }
            Step(stack, () => AddEvent(stack, logicalId, type, $"{verb}_IN_PROGRESS", null));
            Step(stack, () => AddEvent(stack, logicalId, type, $"{verb}_COMPLETE", null));
        }
        if (verb == "UPDATE") Step(stack, () => SetStatus(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null));
        Step(stack, () => SetStatus(stack, $"{verb}_COMPLETE", null));
        return (200, Ok("ExecuteChangeSet", ""));
    }

    private (int, string) DeleteChangeSet(string id)
    {
        if (!_changeSets.Remove(id)) return (400, Error("ChangeSetNotFound", $"ChangeSet [{id}] does not exist"));
        return (200, Ok("DeleteChangeSet", ""));
    }

    private (int, string) DescribeStackEvents(Dictionary<string, string> form)
    {
        var stack = Find(form["StackName"]);
        if (stack is null) return (400, Error("ValidationError", $"Stack [{form["StackName"]}] does not exist"));
        // Newest first, five per page.
        var start = form.TryGetValue("NextToken", out var token) ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var newestFirst = Enumerable.Reverse(stack.Events).ToList();
        var xml = new StringBuilder("<StackEvents>");
        foreach (var e in newestFirst.Skip(start).Take(5))
        {
            xml.Append(CultureInfo.InvariantCulture, $"<member><StackId>{stack.Id}</StackId><EventId>{e.Id}</EventId><StackName>{stack.Name}</StackName><LogicalResourceId>{e.LogicalId}</LogicalResourceId>");
            xml.Append(CultureInfo.InvariantCulture, $"<PhysicalResourceId>phys-{e.LogicalId}</PhysicalResourceId><ResourceType>{e.Type}</ResourceType><Timestamp>{e.Time:yyyy-MM-ddTHH:mm:ss.fffZ}</Timestamp><ResourceStatus>{e.Status}</ResourceStatus>");
            if (e.Reason is not null) xml.Append(CultureInfo.InvariantCulture, $"<ResourceStatusReason>{SecurityElement.Escape(e.Reason)}</ResourceStatusReason>");
            xml.Append("</member>");
        }
        xml.Append("</StackEvents>");
        if (start + 5 < newestFirst.Count) xml.Append(CultureInfo.InvariantCulture, $"<NextToken>{start + 5}</NextToken>");
        return (200, Ok("DescribeStackEvents", xml.ToString()));
    }

    private (int, string) DeleteStack(string nameOrId)
    {
        var stack = Find(nameOrId);
        if (stack is null || stack.Status == "DELETE_COMPLETE") return (200, Ok("DeleteStack", "")); // deleting a missing stack succeeds
        if (stack.Status == "REVIEW_IN_PROGRESS" && stack.Events.Count <= 1)
        {
            SetStatus(stack, "DELETE_COMPLETE", null);
            return (200, Ok("DeleteStack", ""));
        }
        Step(stack, () => SetStatus(stack, "DELETE_IN_PROGRESS", "User Initiated"));
        foreach (var (logicalId, type) in Enumerable.Reverse(Resources))
        {
            if (FailResource is { } fail && fail.LogicalId == logicalId)
            {
                Step(stack, () => AddEvent(stack, logicalId, type, "DELETE_FAILED", fail.Reason));
                Step(stack, () => SetStatus(stack, "DELETE_FAILED", $"The following resource(s) failed to delete: [{logicalId}]. "));
                return (200, Ok("DeleteStack", ""));
            }
            Step(stack, () => AddEvent(stack, logicalId, type, "DELETE_COMPLETE", null));
        }
        Step(stack, () => SetStatus(stack, "DELETE_COMPLETE", null));
        return (200, Ok("DeleteStack", ""));
    }

    private Stack NewStack(string name)
    {
        var stack = new Stack { Name = name, Id = $"arn:aws:cloudformation:eu-west-1:123456789012:stack/{name}/{Guid.NewGuid()}", Created = DateTime.UtcNow };
        _stacksById[stack.Id] = stack;
        return stack;
    }

    private Stack? Find(string nameOrId) =>
        _stacksById.TryGetValue(nameOrId, out var byId) ? byId : FindByName(nameOrId);

    private Stack? FindByName(string name) =>
        _stacksById.Values.FirstOrDefault(s => s.Name == name && s.Status != "DELETE_COMPLETE");

    private static void Step(Stack stack, Action action) => stack.Steps.Enqueue(action);

    private void SetStatus(Stack stack, string status, string? reason)
    {
        stack.Status = status;
        stack.StatusReason = reason;
        AddEvent(stack, stack.Name, "AWS::CloudFormation::Stack", status, reason);
    }

    private void AddEvent(Stack stack, string logicalId, string type, string status, string? reason) =>
        stack.Events.Add(new StackEvent($"evt-{++_eventCounter}", logicalId, type, status, reason, DateTime.UtcNow));

    private sealed class Stack
    {
        public string Name = "";
        public string Id = "";
        public string Status = "";
        public string? StatusReason;
        public DateTime Created;
        public string Template = "";
        public Dictionary<string, string> Parameters = new();
        public readonly List<StackEvent> Events = new();
        public readonly Queue<Action> Steps = new();
    }

    private sealed class ChangeSet
    {
        public string Id = "";
        public Stack Stack = null!;
        public string Type = "";
        public string Template = "";
        public Dictionary<string, string> Parameters = new();
        public string FinalStatus = "CREATE_COMPLETE";
        public string Reason = "";
        public List<(string Action, string LogicalId, string Type)> Changes = new();
        public int Describes;
    }

    private sealed record StackEvent(string Id, string LogicalId, string Type, string Status, string? Reason, DateTime Time);
}
