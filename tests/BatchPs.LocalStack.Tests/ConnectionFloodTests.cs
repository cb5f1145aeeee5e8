using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BatchPs.LocalStack.Hosting;

namespace BatchPs.LocalStack.Tests;

/// <summary>
/// Bare TCP connections on loopback, bounded in count and time: a flood cannot exhaust the stack's file descriptors
/// (which aborted it), silent connections are cut, and clients that talk are served throughout.
/// </summary>
public sealed class ConnectionFloodTests
{
    [Fact]
    public async Task A_flood_of_bare_connections_beyond_the_open_file_limit_leaves_the_stack_alive_and_serving()
    {
        if (!OperatingSystem.IsLinux()) return; // ulimit and the abort are Linux's here
        const int stackLimit = 700; // the stack itself holds about 250 descriptors (assemblies, database, pipes)
        var connections = (int)Math.Min(1000, (ConnectionLimits.OpenFileLimit() ?? 1024) - 300);
        using var folder = new TestFolder();
        var ready = folder.File("ready.json");
        using var stack = StackProcess.StartWithOpenFileLimit(stackLimit, "serve", "--port", "0", "--data", folder.File("data"), "--ready-file", ready);
        var endpoint = await stack.WaitUntilReadyAsync(ready);

        var flood = new List<Socket>();
        try
        {
            for (var i = 0; i < connections && !stack.HasExited; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, endpoint.Port).WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (Exception ex) when (ex is SocketException or TimeoutException)
                {
                    // Refused or not accepted in time: the backlog is full, which is the stack refusing the excess.
                }
            }
            await Task.Delay(500);
            Assert.False(stack.HasExited, $"The stack exited under {connections} bare connections: {stack.Output}");

            // While every flood connection is still open, a client that talks gets its trigger accepted.
            using var client = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(20) };
            client.DefaultRequestHeaders.Add("x-api-key", TestStack.ApiKey);
            HttpResponseMessage response;
            try
            {
                response = await client.PostAsync("/triggers", new StringContent("""{"jobName": "noop"}""", System.Text.Encoding.UTF8, "application/json"));
            }
            catch (HttpRequestException ex)
            {
                await Task.Delay(500);
                throw new Xunit.Sdk.XunitException($"POST during the flood failed ({ex.Message}); the stack {(stack.HasExited ? "exited" : "runs")}: {stack.Output}");
            }
            using var _ = response;
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var sent = TestStack.Parse(await response.Content.ReadAsStringAsync());
            var record = await Eventually.WaitForAsync(async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + sent.TriggerId)),
                r => r.IsFinal, TimeSpan.FromSeconds(60), "the trigger sent during the flood ends");
            Assert.Equal(BatchPs.Core.Triggers.TriggerStatus.SUCCEEDED, record.Status);
            Assert.False(stack.HasExited, stack.Output);
        }
        finally
        {
            foreach (var socket in flood) socket.Dispose();
        }
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_first_byte_timeout()
    {
        await using var stack = await TestStack.StartAsync(Jobs.Shell("ok", "true"));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, stack.Server.Endpoint.Port);
        var clock = Stopwatch.StartNew();
        var closed = await ClosedAsync(socket, TimeSpan.FromSeconds(20));
        Assert.True(closed, "the silent connection was still open after 20 s");
        Assert.InRange(clock.Elapsed, ConnectionLimits.FirstByteTimeout - TimeSpan.FromMilliseconds(500), ConnectionLimits.FirstByteTimeout + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Silent_connections_beyond_the_limit_are_closed_at_once_and_new_clients_are_still_served()
    {
        const int limit = 8;
        await using var stack = await TestStack.StartAsync(Jobs.Shell("ok", "true"), configure: o => o.MaxConnections = limit);
        var port = stack.Server.Endpoint.Port;
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < limit * 5; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                silent.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port);
            }
            // At most half the slots wait for a first byte; every other silent connection is closed long before the timeout.
            var closed = 0;
            foreach (var socket in silent)
                if (await ClosedAsync(socket, TimeSpan.FromMilliseconds(50))) closed++;
            Assert.True(closed >= silent.Count - limit / 2, $"{closed} of {silent.Count} silent connections closed");

            // New clients, each on its own connection, are served while the flood's sockets stay open.
            for (var i = 0; i < 3; i++)
            {
                using var client = new HttpClient { BaseAddress = stack.Server.Endpoint, Timeout = TimeSpan.FromSeconds(10) };
                client.DefaultRequestHeaders.Add("x-api-key", TestStack.ApiKey);
                using var response = await client.PostAsync("/triggers", new StringContent("""{"jobName": "ok"}""", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        }
        finally
        {
            foreach (var socket in silent) socket.Dispose();
        }
    }

    [Theory]
    [InlineData(1024L, 2, 124)] // the usual soft limit: (1024 - 512 - 16) / 4
    [InlineData(20000L, 2, 1024)]
    [InlineData(700L, 2, 43)]
    [InlineData(256L, 2, 32)]
    [InlineData(null, 4, 1024)] // Windows: no descriptor limit to read
    public void The_default_connection_limit_leaves_descriptors_for_the_stack_and_its_job_slots(long? openFileLimit, int concurrency, int expected) =>
        Assert.Equal(expected, ConnectionLimits.DefaultMaxConnections(openFileLimit, concurrency));

    /// <summary>True when the peer closed (or reset) the connection within <paramref name="wait"/>.</summary>
    private static async Task<bool> ClosedAsync(Socket socket, TimeSpan wait)
    {
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
