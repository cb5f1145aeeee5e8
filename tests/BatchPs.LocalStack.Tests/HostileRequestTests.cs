using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>Odd bytes on a real socket: each is a 400 that says what was wrong, and nothing is stored.</summary>
public sealed class HostileRequestTests : IAsyncLifetime
{
    private TestStack _stack = null!;

    public async Task InitializeAsync() => _stack = await TestStack.StartAsync(
        Jobs.Shell("echo", "printf '%s' \"$1\" > \"$2\"", "\"Ref::value\", \"Ref::out\"", """{"value": null, "out": null}"""));

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("""{"jobName":"ecINVALIDho"}""", "jobName")]
    [InlineData("""{"jobName":"echo","client":"INVALID"}""", "client")]
    [InlineData("""{"jobName":"echo","idempotencyKey":"kINVALID"}""", "idempotencyKey")]
    [InlineData("""{"jobName":"echo","parameters":{"value":"INVALID","out":"x"}}""", "parameters.value")]
    [InlineData("""{"jobName":"echo","parameters":{"vINVALID":"x"}}""", "parameters")]
    [InlineData("""{"jobName":"echo","overrides":{"INVALID":1}}""", "overrides")]
    [InlineData("""{"INVALID":1,"jobName":"echo"}""", "")]
    public async Task Text_that_is_not_Unicode_in_any_field_is_a_400_naming_it(string template, string field)
    {
        foreach (var invalid in new[] { new byte[] { 0xFF, 0xFE }, Encoding.ASCII.GetBytes("\\ud800") })
        {
            var parts = template.Split("INVALID");
            var body = Encoding.UTF8.GetBytes(parts[0]).Concat(invalid).Concat(Encoding.UTF8.GetBytes(parts[1])).ToArray();

            var (status, json) = await PostRawAsync(Head($"Content-Length: {body.Length}"), body);

            Assert.Equal(400, status);
            using var error = JsonDocument.Parse(json);
            Assert.Equal("InvalidRequest", error.RootElement.GetProperty("code").GetString());
            Assert.Equal(field, error.RootElement.GetProperty("field").GetString());
            Assert.Contains("not valid Unicode", error.RootElement.GetProperty("message").GetString());
        }
        Assert.Equal(0, _stack.CountTriggers());
    }

    [Fact]
    public async Task A_chunk_size_that_overflows_is_a_400_not_a_500()
    {
        var (status, json) = await PostRawAsync(Head("Transfer-Encoding: chunked"), Encoding.ASCII.GetBytes("FFFFFFFFFFFFFFFFFFFFFF\r\n{\"jobName\":\"echo\"}\r\n0\r\n\r\n"));

        Assert.Equal(400, status);
        Assert.Contains("framing is malformed", json);
        Assert.Equal(0, _stack.CountTriggers());
    }

    [Fact]
    public async Task Bare_LF_line_endings_are_refused()
    {
        var body = Encoding.UTF8.GetBytes("""{"jobName":"echo","parameters":{"value":"x","out":"/dev/null"}}""");
        var head = Head($"Content-Length: {body.Length}").Replace("\r\n", "\n", StringComparison.Ordinal);

        var (status, _) = await PostRawAsync(head, body);

        Assert.Equal(400, status);
        Assert.Equal(0, _stack.CountTriggers());
    }

    [Fact]
    public async Task A_NUL_in_a_parameter_value_is_a_400_naming_the_parameter()
    {
        using var response = await _stack.PostRawAsync("""{"jobName":"echo","parameters":{"value":"cut\u0000here","out":"/dev/null"}}""");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("\"field\":\"parameters.value\"", json);
        Assert.Equal(0, _stack.CountTriggers());
    }

    [Fact]
    public async Task Other_control_characters_in_a_parameter_value_reach_the_job_intact()
    {
        const string value = "tab\tnewline\ncr\r\u0001\u001b[0m\u007f end \U0001F600";
        var output = _stack.Folder.File("value.txt");

        var sent = await _stack.SendAsync("echo", new Dictionary<string, string> { ["value"] = value, ["out"] = output });

        Assert.Equal(TriggerStatus.SUCCEEDED, (await _stack.WaitForFinalAsync(sent.TriggerId)).Status);
        Assert.Equal(Encoding.UTF8.GetBytes(value), File.ReadAllBytes(output));
    }

    /// <summary>
    /// Kestrel reads <c>Content-Length: +N</c> as N and gives the application only the number, so the local stack
    /// cannot refuse it (the README says so). This pins that behaviour: when Kestrel starts refusing it, update the README.
    /// </summary>
    [Fact]
    public async Task Kestrel_reads_a_Content_Length_with_a_plus_sign_as_its_digits()
    {
        var body = Encoding.UTF8.GetBytes("""{"jobName":"echo","parameters":{"value":"x","out":"/dev/null"}}""");

        var (status, _) = await PostRawAsync(Head($"Content-Length: +{body.Length}"), body);

        Assert.Equal(202, status);
    }

    private static string Head(string framing) =>
        $"POST /triggers HTTP/1.1\r\nHost: localhost\r\nx-api-key: {TestStack.ApiKey}\r\nContent-Type: application/json\r\nConnection: close\r\n{framing}\r\n\r\n";

    /// <summary>Sends the bytes as they are on a new connection; returns the status and the body (the connection closes after one response).</summary>
    private async Task<(int Status, string Body)> PostRawAsync(string head, byte[] body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_stack.Server.Endpoint.Host, _stack.Server.Endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray());
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(read, timeout.Token);
        var text = Encoding.UTF8.GetString(read.ToArray());
        var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var json = text.IndexOf('{') is var start and >= 0 ? text[start..(text.LastIndexOf('}') + 1)] : "";
        return (status, json);
    }
}
