using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.Core.Json;
using BatchPs.LocalStack.Hosting;
using BatchPs.Core.Triggers;
using Microsoft.Data.Sqlite;

namespace BatchPs.LocalStack.Tests;

/// <summary>A real local stack in this process (real Kestrel on a free loopback port, real SQLite file, real processes) with a client.</summary>
internal sealed class TestStack : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789";

    private TestStack(LocalStackServer server, TestFolder folder, string catalogPath)
    {
        Server = server;
        Folder = folder;
        CatalogPath = catalogPath;
        Client = new HttpClient { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("x-api-key", ApiKey);
    }

    public LocalStackServer Server { get; }
    public TestFolder Folder { get; }
    public string CatalogPath { get; }
    public HttpClient Client { get; }
    public string DataDirectory => Server.DataDirectory;

    /// <summary>Starts a stack whose catalog holds <paramref name="jobsJson"/> (the array's content).</summary>
    public static async Task<TestStack> StartAsync(string jobsJson, int concurrency = 2, Action<LocalStackOptions>? configure = null)
    {
        var folder = new TestFolder();
        var catalog = folder.Write("catalog.json", "{\"jobs\": [" + jobsJson + "]}");
        return await StartAsync(folder, catalog, concurrency, configure);
    }

    /// <summary>Starts a stack on an existing folder (its data in <c>folder/data</c>); the stack owns the folder from now on.</summary>
    public static Task<TestStack> StartInAsync(TestFolder folder, string jobsJson, int concurrency = 2) =>
        StartAsync(folder, folder.Write("catalog.json", "{\"jobs\": [" + jobsJson + "]}"), concurrency);

    /// <summary>Stops this stack (as a clean stop does) and starts a new one on the same data folder and catalog.</summary>
    public async Task<TestStack> RestartAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _folderMoved = true;
        return await StartAsync(Folder, CatalogPath, _concurrency, _configure);
    }

    private static async Task<TestStack> StartAsync(TestFolder folder, string catalog, int concurrency, Action<LocalStackOptions>? configure = null)
    {
        var options = new LocalStackOptions
        {
            DataDirectory = Path.Combine(folder.Path, "data"),
            CatalogPath = catalog,
            Concurrency = concurrency,
            ApiKey = ApiKey,
        };
        configure?.Invoke(options);
        var server = await LocalStackServer.StartAsync(options);
        return new TestStack(server, folder, catalog) { _concurrency = concurrency, _configure = configure };
    }

    private int _concurrency;
    private Action<LocalStackOptions>? _configure;
    private bool _folderMoved;

    public Task<HttpResponseMessage> PostRawAsync(string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync("/triggers", content);
    }

    /// <summary>POSTs a trigger that must be accepted; returns the record.</summary>
    public async Task<TriggerRecord> SendAsync(string jobName, object? parameters = null, string? idempotencyKey = null)
    {
        var body = new JsonObject { ["jobName"] = jobName };
        if (parameters is not null) body["parameters"] = JsonSerializer.SerializeToNode(parameters);
        if (idempotencyKey is not null) body["idempotencyKey"] = idempotencyKey;
        using var response = await PostRawAsync(body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST answered {(int)response.StatusCode}: {text}");
        return Parse(text);
    }

    public async Task<TriggerRecord> GetAsync(string triggerId)
    {
        using var response = await Client.GetAsync("/triggers/" + triggerId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET answered {(int)response.StatusCode}: {text}");
        return Parse(text);
    }

    /// <summary>Polls until the trigger is final (generous deadline); returns the final record.</summary>
    public async Task<TriggerRecord> WaitForFinalAsync(string triggerId, int timeoutSeconds = 60) =>
        await Eventually.WaitForAsync(() => GetAsync(triggerId), r => r.IsFinal, TimeSpan.FromSeconds(timeoutSeconds), $"trigger {triggerId} final");

    /// <summary>Rows in the triggers table of the database file.</summary>
    public long CountTriggers() => CountRows(DataDirectory, "triggers");

    public static long CountRows(string dataDirectory, string table)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "batchps.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    public static TriggerRecord Parse(string json) => JsonSerializer.Deserialize<TriggerRecord>(json, BatchPsJson.Lenient)!;

    public async ValueTask DisposeAsync()
    {
        if (_folderMoved) return;
        Client.Dispose();
        await Server.DisposeAsync();
        Folder.Dispose();
    }
}
