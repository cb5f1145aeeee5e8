using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Model;
using BatchPs.StateMachine.Runtime;
using BatchPs.TestSupport.Interpreter;

namespace BatchPs.StateMachine.Tests;

/// <summary>Everything refused at load time, with a message that names the state and says what to do.</summary>
public sealed class DefinitionLoaderTests
{
    private static string OneState(string state) => "{\"StartAt\":\"S\",\"States\":{\"S\":" + state + "}}";

    [Theory]
    [InlineData("""{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","End":true}}}""", "JSONata")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}""", "State \"S\"")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Pass","Assign":{"x":1},"End":true}}}""", "variables")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Pass","Output":"{% $states.input %}","End":true}}}""", "JSONata")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}""", "callback")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:Work","End":true}}}""", "activities")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:batchps:test:echo","HeartbeatSeconds":10,"End":true}}}""", "HeartbeatSeconds")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:batchps:test:echo","Credentials":{},"End":true}}}""", "Credentials")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Map","ItemReader":{},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""", "distributed Map")]
    [InlineData("""{"StartAt":"S","States":{"S":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""", "INLINE")]
    public void Unsupported_feature_is_refused_naming_it(string definition, string expected)
    {
        var e = Asl.LoadFails(definition);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unregistered_resource_is_refused_listing_the_registered_ones()
    {
        var e = Asl.LoadFails(OneState("""{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:F","End":true}"""));
        Assert.Contains("State \"S\"", e.Message);
        Assert.Contains("arn:aws:lambda:us-east-1:123456789012:function:F", e.Message);
        Assert.Contains(TestResources.Echo, e.Message);
    }

    [Theory]
    [InlineData("""{"Type":"Pass"}""", "\"Next\"")]
    [InlineData("""{"Type":"Pass","Next":"S","End":true}""", "not both")]
    [InlineData("""{"Type":"Pass","End":false}""", "\"End\" must be true")]
    [InlineData("""{"Type":"Pass","Next":"Nowhere"}""", "\"Nowhere\"")]
    [InlineData("""{"Type":"Pass","Colour":"red","End":true}""", "unknown field \"Colour\"")]
    [InlineData("""{"Type":"Sleep","End":true}""", "\"Type\" must be one of")]
    [InlineData("""{"Type":"Pass","ResultPath":"$.items[*]","End":true}""", "Reference Path")]
    [InlineData("""{"Type":"Pass","InputPath":"$.a[","End":true}""", "Invalid JSONPath")]
    [InlineData("""{"Type":"Pass","Parameters":{"a.$":"States.Nope($)"},"End":true}""", "not an intrinsic function")]
    [InlineData("""{"Type":"Pass","Parameters":{"a.$":"States.ArrayLength($.a, 1)"},"End":true}""", "takes 1 argument")]
    [InlineData("""{"Type":"Pass","Parameters":{"a.$":"States.JsonMerge($.a, $.b, true)"},"End":true}""", "shallow")]
    [InlineData("""{"Type":"Pass","Parameters":{"a.$":"plain text"},"End":true}""", "Parameters.a.$")]
    [InlineData("""{"Type":"Pass","Parameters":{"a.$":5},"End":true}""", "takes a string")]
    [InlineData("""{"Type":"Pass","Parameters":{"a.$":"$.x","a":1},"End":true}""", "given twice")]
    [InlineData("""{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}""", "exactly one of")]
    [InlineData("""{"Type":"Wait","Seconds":-1,"End":true}""", "\"Seconds\"")]
    [InlineData("""{"Type":"Wait","Timestamp":"2016-03-14 01:59:00","End":true}""", "RFC 3339")]
    [InlineData("""{"Type":"Fail","Error":"E","ErrorPath":"$.e"}""", "not both")]
    [InlineData("""{"Type":"Succeed","Next":"S"}""", "unknown field \"Next\"")]
    [InlineData("""{"Type":"Choice","Choices":[]}""", "non-empty")]
    [InlineData("""{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x"}]}""", "needs \"Next\"")]
    [InlineData("""{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","StringEquals":"x","Next":"S"},"Next":"S"}]}""", "only on a top-level")]
    [InlineData("""{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":1,"Next":"S"}]}""", "takes a string")]
    [InlineData("""{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":"1","Next":"S"}]}""", "takes a number")]
    [InlineData("""{"Type":"Choice","Choices":[{"Variable":"$.a","StringLike":"x","Next":"S"}]}""", "not a comparison operator")]
    [InlineData("""{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","IsPresent":true,"Next":"S"}]}""", "exactly one operator")]
    [InlineData("""{"Type":"Choice","Choices":[{"Variable":"$.a","TimestampEquals":"yesterday","Next":"S"}]}""", "RFC 3339")]
    [InlineData("""{"Type":"Choice","Choices":[{"And":[],"Next":"S"}]}""", "non-empty array")]
    [InlineData("""{"Type":"Task","Resource":"arn:batchps:test:echo","Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"End":true}""", "States.ALL")]
    [InlineData("""{"Type":"Task","Resource":"arn:batchps:test:echo","Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}],"End":true}""", "BackoffRate")]
    [InlineData("""{"Type":"Task","Resource":"arn:batchps:test:echo","Retry":[{"ErrorEquals":["X"],"JitterStrategy":"HALF"}],"End":true}""", "JitterStrategy")]
    [InlineData("""{"Type":"Task","Resource":"arn:batchps:test:echo","Retry":[{"ErrorEquals":[]}],"End":true}""", "ErrorEquals")]
    [InlineData("""{"Type":"Task","Resource":"arn:batchps:test:echo","Catch":[{"ErrorEquals":["X"]}],"End":true}""", "\"Next\"")]
    [InlineData("""{"Type":"Task","Resource":"arn:batchps:test:echo","TimeoutSeconds":0,"End":true}""", "TimeoutSeconds")]
    [InlineData("""{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Iterator":{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}},"End":true}""", "exactly one of ItemProcessor")]
    [InlineData("""{"Type":"Parallel","Branches":[],"End":true}""", "Branches")]
    [InlineData("""{"Type":"Pass","Parameters":"text","End":true}""", "payload template")]
    [InlineData("""{"Type":"Pass","Comment":{},"End":true}""", "\"Comment\" must be a string")]
    public void Structural_error_is_refused_naming_the_state(string state, string expected)
    {
        var e = Asl.LoadFails(OneState(state));
        Assert.Contains(expected, e.Message);
        Assert.Contains("\"S\"", e.Message);
    }

    [Fact]
    public void Unreachable_state_is_refused()
    {
        var e = Asl.LoadFails("""{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"Orphan":{"Type":"Pass","End":true}}}""");
        Assert.Contains("State \"Orphan\"", e.Message);
        Assert.Contains("no transition leads to it", e.Message);
    }

    [Fact]
    public void StartAt_naming_no_state_is_refused()
    {
        var e = Asl.LoadFails("""{"StartAt":"Missing","States":{"A":{"Type":"Pass","End":true}}}""");
        Assert.Contains("StartAt \"Missing\"", e.Message);
    }

    [Fact]
    public void Branch_cannot_transition_outside_itself()
    {
        var e = Asl.LoadFails("""
            {"StartAt":"Par","States":{
              "Par":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"After"}}}],"Next":"After"},
              "After":{"Type":"Pass","End":true}}}
            """);
        Assert.Contains("State \"B\"", e.Message);
        Assert.Contains("\"After\"", e.Message);
    }

    [Fact]
    public void State_names_must_be_unique_across_branches()
    {
        var e = Asl.LoadFails("""
            {"StartAt":"Par","States":{
              "Par":{"Type":"Parallel","Branches":[
                {"StartAt":"Same","States":{"Same":{"Type":"Pass","End":true}}},
                {"StartAt":"Same","States":{"Same":{"Type":"Pass","End":true}}}],"End":true}}}
            """);
        Assert.Contains("State \"Same\"", e.Message);
        Assert.Contains("unique", e.Message);
    }

    [Fact]
    public void Invalid_json_is_refused_with_the_parser_position()
    {
        var e = Asl.LoadFails("""{"StartAt":"S","States":{""");
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Unknown_top_level_field_is_refused()
    {
        var e = Asl.LoadFails("""{"StartAt":"S","Sates":{},"States":{"S":{"Type":"Pass","End":true}}}""");
        Assert.Contains("\"Sates\"", e.Message);
    }

    [Fact]
    public void Definition_substitutions_are_applied_before_parsing()
    {
        var resources = TestResources.Create(TimeProvider.System);
        var definition = DefinitionLoader.Load(
            """{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"${EchoArn}","Parameters":{"table":"${TableName}"},"End":true}}}""",
            resources, new Dictionary<string, string> { ["EchoArn"] = TestResources.Echo, ["TableName"] = "Triggers" });
        var task = Assert.IsType<TaskState>(definition.Root.States["S"]);
        Assert.Equal(TestResources.Echo, task.Resource);
    }

    [Fact]
    public void Missing_definition_substitution_is_refused_naming_the_placeholder()
    {
        var e = Assert.Throws<DefinitionException>(() => DefinitionLoader.Load(
            """{"StartAt":"S","States":{"S":{"Type":"Pass","Result":"${TableName} ${Other}","End":true}}}""",
            new TaskResourceRegistry(), new Dictionary<string, string> { ["Other"] = "x" }));
        Assert.Contains("${TableName}", e.Message);
        Assert.DoesNotContain("${Other}", e.Message);
    }

    [Fact]
    public void QueryLanguage_JSONPath_and_Version_are_accepted()
    {
        var definition = DefinitionLoader.Load(
            """{"QueryLanguage":"JSONPath","Version":"1.0","TimeoutSeconds":30,"StartAt":"S","States":{"S":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}""",
            new TaskResourceRegistry());
        Assert.Equal(30, definition.TimeoutSeconds);
    }

    private sealed class NeedsJobName : ITaskResource, ITaskParametersValidator
    {
        public Task<System.Text.Json.Nodes.JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) =>
            Task.FromResult<System.Text.Json.Nodes.JsonNode?>(null);

        public IReadOnlyList<string> Validate(System.Text.Json.Nodes.JsonNode? parameters) =>
            parameters is System.Text.Json.Nodes.JsonObject o && (o.ContainsKey("JobName") || o.ContainsKey("JobName.$"))
                ? []
                : ["JobName is required"];
    }

    [Fact]
    public void Resource_can_refuse_its_parameters_at_load_time()
    {
        var resources = new TaskResourceRegistry().Add("arn:aws:states:::batch:submitJob.sync", new NeedsJobName());
        var e = Asl.LoadFails("""{"StartAt":"Submit","States":{"Submit":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobNmae":"x"},"End":true}}}""", resources);
        Assert.Contains("State \"Submit\"", e.Message);
        Assert.Contains("JobName is required", e.Message);
        DefinitionLoader.Load("""{"StartAt":"Submit","States":{"Submit":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName.$":"$.name"},"End":true}}}""", resources);
    }
}
