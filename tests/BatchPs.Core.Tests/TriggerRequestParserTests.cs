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
    // Each body has INVALID where the text is not Unicode: invalid UTF-8 bytes, or an escaped lone surrogate.
    [Theory]
    [InlineData("""{"jobName":"noINVALIDop"}""", "jobName")]
    [InlineData("""{"jobName":"noop","client":"aINVALID"}""", "client")]
    [InlineData("""{"jobName":"noop","idempotencyKey":"aINVALID"}""", "idempotencyKey")]
    [InlineData("""{"jobName":"hello","parameters":{"name":"aINVALIDb"}}""", "parameters.name")]
    [InlineData("""{"jobName":"hello","parameters":{"naINVALIDme":"a"}}""", "parameters")]
    [InlineData("""{"jobName":"noop","overrides":{"shareIdentifier":"aINVALID"}}""", "overrides.shareIdentifier")]
    [InlineData("""{"jobName":"noop","overrides":{"xINVALID":1}}""", "overrides")]
    [InlineData("""{"jobName":"noop","zzINVALID":1}""", "")]
    [InlineData("""{"zzINVALID":"x","jobName":"noop"}""", "")]
    public void Text_that_is_not_Unicode_is_rejected_with_the_field_named(string template, string field)
    {
        foreach (var invalid in new[] { new byte[] { 0xFF, 0xFE }, new byte[] { 0xC3 }, new byte[] { 0xED, 0xA0, 0x80 }, Encoding.ASCII.GetBytes("\\ud800"), Encoding.ASCII.GetBytes("\\udc00x") })
        {
            var parts = template.Split("INVALID");
            var body = Encoding.UTF8.GetBytes(parts[0]).Concat(invalid).Concat(Encoding.UTF8.GetBytes(parts[1])).ToArray();

            var r = TriggerRequestParser.Parse(body);

            Assert.False(r.IsValid, Convert.ToHexString(invalid));
            Assert.Equal(400, r.Error!.StatusCode);
            Assert.Equal(ErrorCodes.InvalidRequest, r.Error.Code);
            Assert.Equal(field, r.Error.Field);
            Assert.Contains("not valid Unicode", r.Error.Message);
        }
    }

    [Fact]
    public void A_NUL_in_a_parameter_value_is_rejected_naming_the_parameter()
    {
        var r = Parse("""{"jobName":"hello","parameters":{"name":"a\u0000b"}}""");

        Assert.False(r.IsValid);
        Assert.Equal("parameters.name", r.Error!.Field);
        Assert.Contains("NUL", r.Error.Message);
    }

    [Fact]
    public void Other_control_characters_and_whole_surrogate_pairs_in_a_parameter_value_are_kept()
    {
        var r = Parse("""{"jobName":"hello","parameters":{"name":"tab\tnewline\ncr\r\u0001\u007f\ud83d\ude00"}}""");

        Assert.True(r.IsValid, r.Error?.Message);
        Assert.Equal("tab\tnewline\ncr\r\u0001\u007f\U0001F600", r.Request!.Parameters["name"]);
    }
}
