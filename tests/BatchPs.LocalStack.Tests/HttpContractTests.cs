using System.Net;
using System.Text.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class HttpContractTests : IAsyncLifetime
{
    private TestStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await TestStack.StartAsync(Jobs.Shell("quick", "exit 0", parameters: """{"day": "monday", "who": null}"""));

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Post_returns_202_with_the_received_record_and_get_returns_it()
    {
        using var response = await _stack.PostRawAsync("""{"jobName": "quick", "client": "nightly-etl", "parameters": {"who": "me"}}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = TestStack.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("quick", record.JobName);
        Assert.Equal("nightly-etl", record.Client);
        Assert.Equal(TriggerStatus.RECEIVED, record.Status);
        Assert.Equal("me", record.Parameters["who"]);
        Assert.False(string.IsNullOrEmpty(record.TriggerId));
        Assert.False(string.IsNullOrEmpty(record.IdempotencyKey));
        Assert.Equal("/triggers/" + record.TriggerId, response.Headers.Location?.ToString());

        var fetched = await _stack.GetAsync(record.TriggerId);
        Assert.Equal(record.TriggerId, fetched.TriggerId);
        Assert.Equal("quick", fetched.JobName);
    }

    [Fact]
    public async Task Get_of_an_unknown_trigger_returns_404_TriggerNotFound()
    {
        using var response = await _stack.Client.GetAsync("/triggers/no-such-trigger");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("TriggerNotFound", await CodeOf(response));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("test-key-012345678")]
    public async Task Requests_without_the_right_api_key_get_403_and_store_nothing(string? key)
    {
        using var client = new HttpClient { BaseAddress = _stack.Server.Endpoint };
        if (key is not null) client.DefaultRequestHeaders.Add("x-api-key", key);
        using var post = await client.PostAsync("/triggers", new StringContent("""{"jobName": "quick", "parameters": {"who": "x"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("Forbidden", await CodeOf(post));
        using var get = await client.GetAsync("/triggers/anything");
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(0, _stack.CountTriggers());
    }

    public static TheoryData<string, string, int, string, string?> BadPosts() => new()
    {
        { "not json", "application/json", 400, "InvalidJson", null },
        { "", "application/json", 400, "InvalidJson", null },
        { """{"client": "x"}""", "application/json", 400, "InvalidRequest", "jobName" },
        { """{"jobName": "nope", "parameters": {"who": "x"}}""", "application/json", 400, "UnknownJob", "jobName" },
        { """{"jobName": "quick", "parameters": {"who": 5}}""", "application/json", 400, "InvalidRequest", "parameters.who" },
        { """{"jobName": "quick"}""", "application/json", 400, "InvalidParameter", "parameters.who" },
        { """{"jobName": "quick", "parameters": {"who": "x", "extra": "y"}}""", "application/json", 400, "InvalidParameter", "parameters.extra" },
        { """{"jobName": "quick", "parameters": {"who": "x"}, "overrides": {"timeoutSeconds": 5}}""", "application/json", 400, "OverrideNotAllowed", "overrides.timeoutSeconds" },
        { """{"jobName": "quick", "parameters": {"who": "x"}}""", "text/plain", 415, "UnsupportedMediaType", null },
        { "{\"jobName\": \"quick\", \"client\": \"" + new string('a', 300 * 1024) + "\"}", "application/json", 413, "BodyTooLarge", null },
    };

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task Invalid_posts_get_a_4xx_with_a_code_and_store_nothing(string body, string contentType, int status, string code, string? field)
    {
        using var response = await _stack.PostRawAsync(body, contentType);
        Assert.Equal(status, (int)response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, error.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
        if (field is not null) Assert.Equal(field, error.RootElement.GetProperty("field").GetString());
        Assert.Equal(0, _stack.CountTriggers());
    }

    [Fact]
    public async Task A_chunked_body_over_256_KiB_gets_413_and_stores_nothing()
    {
        var body = System.Text.Encoding.UTF8.GetBytes("{\"jobName\": \"quick\", \"client\": \"" + new string('a', 600 * 1024) + "\"}");
        using var content = new StreamContent(new NoLengthStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await _stack.Client.PostAsync("/triggers", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("BodyTooLarge", await CodeOf(response));
        Assert.Equal(0, _stack.CountTriggers());
    }

    [Fact]
    public async Task Unknown_routes_get_404_and_wrong_methods_get_405_as_json()
    {
        using var unknown = await _stack.Client.GetAsync("/nothing/here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NotFound", await CodeOf(unknown));

        using var wrongMethod = await _stack.Client.PutAsync("/triggers", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("MethodNotAllowed", await CodeOf(wrongMethod));
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);

        using var getCancel = await _stack.Client.GetAsync("/triggers/x/cancel");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getCancel.StatusCode);
        Assert.Contains("POST", getCancel.Content.Headers.Allow);

        using var delete = await _stack.Client.DeleteAsync("/triggers/x");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("code").GetString();
    }

    /// <summary>A stream that hides its length, so the client sends the body chunked.</summary>
    private sealed class NoLengthStream : MemoryStream
    {
        public NoLengthStream(byte[] bytes) : base(bytes) { }
        public override bool CanSeek => false;
    }
}
