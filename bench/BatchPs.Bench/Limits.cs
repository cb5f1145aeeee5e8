using System.Diagnostics;
using System.Text.Json;
using BatchPs.Core.Json;
using BatchPs.Core.Triggers;
using BatchPs.LocalStack.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchPs.Bench;

/// <summary>
/// The physical limits the local stack's accept rate is measured against, in the same run: what its storage
/// accepts with no HTTP in front (the stack's own trigger table and group-commit writer, same SQLite settings,
/// the same number of concurrent callers), and what a bare Kestrel endpoint answers with no storage behind
/// (same clients, same request and response bodies, in its own process as the stack is).
/// </summary>
internal static class Limits
{
    /// <summary>The verb that turns this program into the bare Kestrel endpoint (run in a child process).</summary>
    public const string BareKestrelVerb = "bare-kestrel";

    /// <summary>Durable trigger inserts per second through the stack's storage alone, <paramref name="callers"/> at once.</summary>
    public static async Task<Accept.Result> StorageAsync(int callers, TimeSpan warmUp, TimeSpan duration)
    {
        var folder = Directory.CreateTempSubdirectory("batchps-bench-storage-").FullName;
        try
        {
            using var database = LocalDatabase.Open(folder);
            var triggers = new TriggerStore(database);
            await RunInsertsAsync(triggers, callers, warmUp);
            return await RunInsertsAsync(triggers, callers, duration);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<Accept.Result> RunInsertsAsync(TriggerStore triggers, int callers, TimeSpan duration)
    {
        var latencies = new List<double>[callers];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                await triggers.InsertAsync(NewRecord());
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })));
        wall.Stop();
        var all = latencies.SelectMany(l => l).ToList();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return new Accept.Result(all.Count / wall.Elapsed.TotalSeconds, all, 0, cpuMs);
    }

    /// <summary>A record as the API stores it for the bench's no-op trigger.</summary>
    public static TriggerRecord NewRecord()
    {
        var now = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7(now).ToString("N");
        return new TriggerRecord
        {
            TriggerId = id,
            JobName = "noop",
            Client = "bench",
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            Status = TriggerStatus.RECEIVED,
            CreatedAt = now,
            UpdatedAt = now,
            StatusChangedAt = now,
            Version = 1,
        };
    }

    /// <summary>
    /// Runs the bare endpoint: <c>POST /triggers</c> reads the body and answers 202 with a trigger record's JSON,
    /// nothing else; the same slim Kestrel host as the stack. Writes <c>{"endpoint": ...}</c> to the ready file.
    /// </summary>
    public static async Task<int> RunBareKestrelAsync(string readyFile)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>() });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(System.Net.IPAddress.Loopback, 0);
        });
        await using var app = builder.Build();
        var response = JsonSerializer.SerializeToUtf8Bytes(NewRecord(), BatchPsJson.Options);
        app.MapPost("/triggers", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0) { }
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(response, context.RequestAborted);
        });
        await app.StartAsync();
        var endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var temp = readyFile + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(new { endpoint }));
        File.Move(temp, readyFile, overwrite: true);
        await app.WaitForShutdownAsync();
        return 0;
    }
}
