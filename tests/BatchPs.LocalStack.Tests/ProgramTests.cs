using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class ProgramTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_with_the_sample_catalog_runs_hello_noop_and_fail_and_stops_cleanly_on_SIGTERM()
    {
        var readyFile = _folder.File("ready.json");
        using var stack = StackProcess.Start("serve", "--data", _folder.File("data"), "--ready-file", readyFile, "--port", "0");
        var endpoint = await stack.WaitUntilReadyAsync(readyFile);
        var banner = $"BatchPs local stack listening on {endpoint.ToString().TrimEnd('/')}";
        await Eventually.WaitForAsync(() => stack.Output.Contains(banner), TimeSpan.FromSeconds(10), "the banner");

        using var client = new HttpClient { BaseAddress = endpoint };
        client.DefaultRequestHeaders.Add("x-api-key", TestStack.ApiKey);
        using var post = await client.PostAsJsonAsync("/triggers", new JsonObject { ["jobName"] = "hello", ["parameters"] = new JsonObject { ["name"] = "Grace" } });
        var sent = TestStack.Parse(await post.Content.ReadAsStringAsync());
        var final = await Eventually.WaitForAsync(
            async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + sent.TriggerId)), r => r.IsFinal, TimeSpan.FromSeconds(60), "hello to finish");

        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        var log = File.ReadAllText(final.LogLocation!);
        Assert.Contains("Hello, Grace!", log);
        Assert.Contains("Step 4 of 4 done.", log);

        foreach (var (job, status, exitCode) in new[] { ("noop", TriggerStatus.SUCCEEDED, 0), ("fail", TriggerStatus.FAILED, 3) })
        {
            using var sent2 = await client.PostAsJsonAsync("/triggers", new JsonObject { ["jobName"] = job });
            var id = TestStack.Parse(await sent2.Content.ReadAsStringAsync()).TriggerId;
            var done = await Eventually.WaitForAsync(
                async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + id)), r => r.IsFinal, TimeSpan.FromSeconds(60), job + " to finish");
            Assert.Equal(status, done.Status);
            Assert.Equal(exitCode, done.ExitCode);
        }

        stack.Terminate();
        Assert.Equal(0, await stack.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(readyFile), "the ready file goes with the endpoint");
        await Eventually.WaitForAsync(() => stack.Output.Contains("stopping"), TimeSpan.FromSeconds(10), "the stop message");
    }

    [Fact]
    public async Task A_bad_catalog_stops_the_start_with_a_message_naming_the_file()
    {
        var catalog = _folder.Write("bad-catalog.json", """{"jobs": [{"name": "x"}]}""");
        using var stack = StackProcess.Start("serve", "--data", _folder.File("data"), "--catalog", catalog);
        Assert.Equal(3, await stack.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(catalog, stack.Output);
        Assert.Contains("command is missing", stack.Output);
    }

    [Fact]
    public async Task A_port_in_use_stops_the_start_with_a_message_naming_the_port()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var stack = StackProcess.Start("serve", "--data", _folder.File("data"), "--port", port);
            Assert.Equal(3, await stack.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"Cannot listen on 127.0.0.1 port {port}", stack.Output);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        using var stack = StackProcess.Start("serve", "--prot", "5000");
        Assert.Equal(2, await stack.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Unknown option '--prot'", stack.Output);
    }

    [Fact]
    public async Task Sample_job_greets_and_exits_with_the_asked_code()
    {
        using var job = StackProcess.Start("sample-job", "--name", "Linus", "--steps", "1", "--delay-ms", "0", "--exit-code", "5");
        Assert.Equal(5, await job.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Hello, Linus!", job.Output);
        Assert.Contains("Step 1 of 1 done.", job.Output);
    }
}
