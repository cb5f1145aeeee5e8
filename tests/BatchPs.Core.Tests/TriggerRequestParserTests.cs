using System.Text;
using BatchPs.Core.Api;
using BatchPs.Core.Triggers;

namespace BatchPs.Core.Tests;

public class TriggerRequestParserTests
{
    private static ParseResult Parse(string json) => TriggerRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Valid_body_becomes_a_request()
    {
        var r = Parse("""{"jobName":"hello","client":"sql-agent","parameters":{"name":"Ada"},"idempotencyKey":"abc-123"}""");
        Assert.True(r.IsValid);
        Assert.Equal("hello", r.Request!.JobName);
        Assert.Equal("sql-agent", r.Request.Client);
        Assert.Equal("Ada", r.Request.Parameters["name"]);
        Assert.Equal("abc-123", r.Request.IdempotencyKey);
    }

    [Theory]
    [InlineData("{", ErrorCodes.InvalidJson, null)]
    [InlineData("", ErrorCodes.InvalidJson, null)]
    [InlineData("[]", ErrorCodes.InvalidRequest, "")]
    [InlineData("{}", ErrorCodes.InvalidRequest, "jobName")]
    [InlineData("""{"jobName":5}""", ErrorCodes.InvalidRequest, "jobName")]
    [InlineData("""{"jobName":"no spaces"}""", ErrorCodes.InvalidRequest, "jobName")]
    [InlineData("""{"jobName":"a","parameters":{"n":1}}""", ErrorCodes.InvalidRequest, "parameters.n")]
    [InlineData("""{"jobName":"a","parameters":[]}""", ErrorCodes.InvalidRequest, "parameters")]
    [InlineData("""{"jobName":"a","idempotencyKey":"has space"}""", ErrorCodes.InvalidRequest, "idempotencyKey")]
    [InlineData("""{"jobName":"a","client":"two\nlines"}""", ErrorCodes.InvalidRequest, "client")]
    [InlineData("""{"jobName":"a","jobname":"b"}""", ErrorCodes.InvalidRequest, "jobname")]
    [InlineData("""{"jobName":"a","overrides":{"arraySize":1}}""", ErrorCodes.InvalidRequest, "overrides.arraySize")]
    [InlineData("""{"jobName":"a","overrides":{"jobQueue":"x"}}""", ErrorCodes.InvalidRequest, "overrides.jobQueue")]
    public void Malformed_bodies_are_rejected_with_the_field_named(string body, string code, string? field)
    {
        var r = Parse(body);
        Assert.False(r.IsValid);
        Assert.Equal(code, r.Error!.Code);
        Assert.Equal(400, r.Error.StatusCode);
        Assert.Equal(field, r.Error.Field);
        Assert.False(string.IsNullOrWhiteSpace(r.Error.Message));
    }

    [Fact]
    public void Non_string_parameter_message_says_how_to_fix_it()
    {
        var r = Parse("""{"jobName":"a","parameters":{"count":3}}""");
        Assert.Contains("\"count\": \"3\"", r.Error!.Message);
    }

    [Fact]
    public void Body_over_256_KiB_is_413()
    {
        var big = "{\"jobName\":\"a\",\"client\":\"" + new string('x', Limits.MaxBodyBytes) + "\"}";
        var r = Parse(big);
        Assert.Equal(413, r.Error!.StatusCode);
        Assert.Equal(ErrorCodes.BodyTooLarge, r.Error.Code);
    }
}
