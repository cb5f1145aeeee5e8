using System.Text.Json;
using BatchPs.Admin.Aws;
using BatchPs.Admin.Stacks;
using BatchPs.Core.Connections;

namespace BatchPs.Admin.Tests;

public sealed class SavedConnectionTests : IDisposable
{
    private const string Key = "Sup3r-Secret-Api-Key-Value";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "batchps-conn-" + Guid.NewGuid().ToString("N"), "connections");

    [Fact]
    public void A_saved_connection_reads_back_with_its_key_from_an_owner_only_file()
    {
        var store = new SavedConnectionStore(_folder);

        store.Save(new SavedConnection("prod", new Uri("https://abc.execute-api.eu-west-1.amazonaws.com/prod"), Key, "stack BatchPs in eu-west-1", DateTime.UtcNow));
        var found = store.Find("prod")!;

        Assert.Equal(Key, found.RevealApiKey());
        Assert.Equal("https://abc.execute-api.eu-west-1.amazonaws.com/prod", found.Endpoint.ToString());
        Assert.True(found.HasApiKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "prod.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
            Assert.Equal("file mode 0600", found.Protection);
        }
        else
        {
            Assert.DoesNotContain(Key, File.ReadAllText(Path.Combine(_folder, "prod.json"))); // DPAPI-protected at rest
        }
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void A_shared_folder_keeps_its_mode_and_is_refused_with_the_fix()
    {
        if (OperatingSystem.IsWindows()) return; // modes are Unix's
        Directory.CreateDirectory(_folder);
        const UnixFileMode shared = (UnixFileMode)0x3FF; // 1777, as /tmp
        File.SetUnixFileMode(_folder, shared);
        var store = new SavedConnectionStore(_folder);

        var error = Assert.Throws<UnauthorizedAccessException>(() => store.Save(new SavedConnection("prod", new Uri("https://example.com/prod"), Key, null, DateTime.UtcNow)));

        Assert.Contains("writable by other users", error.Message);
        Assert.Contains(SavedConnectionStore.FolderVariable, error.Message);
        Assert.Equal(shared, File.GetUnixFileMode(_folder));
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
        Assert.Throws<UnauthorizedAccessException>(() => store.List());
    }

    [Fact]
    public void Only_the_folders_the_store_creates_are_made_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var parent = Path.GetDirectoryName(_folder)!;
        Directory.CreateDirectory(parent);
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(parent, readable);
        var nested = Path.Combine(_folder, "a", "b");

        new SavedConnectionStore(nested).Save(new SavedConnection("prod", new Uri("https://example.com/prod"), Key, null, DateTime.UtcNow));

        Assert.Equal(readable, File.GetUnixFileMode(parent));
        foreach (var created in new[] { _folder, Path.Combine(_folder, "a"), nested })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(created));
    }

    [Fact]
    public void The_key_never_shows_when_the_connection_is_printed_or_serialized()
    {
        var connection = new SavedConnection("prod", new Uri("https://example.com/prod"), Key, null, DateTime.UtcNow);

        Assert.DoesNotContain(Key, connection.ToString());
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(connection));
        Assert.DoesNotContain(connection.GetType().GetProperties(), p => p.PropertyType == typeof(string) && (string?)p.GetValue(connection) == Key);
    }

    [Fact]
    public void Connections_are_listed_replaced_and_removed()
    {
        var store = new SavedConnectionStore(_folder);
        store.Save(new SavedConnection("b", new Uri("https://b.example/"), "kb", null, DateTime.UtcNow));
        store.Save(new SavedConnection("a", new Uri("https://a.example/"), null, null, DateTime.UtcNow));
        store.Save(new SavedConnection("b", new Uri("https://b2.example/"), "kb2", null, DateTime.UtcNow));

        Assert.Equal(new[] { "a", "b" }, store.List().Select(c => c.Name));
        Assert.False(store.Find("a")!.HasApiKey);
        Assert.Equal(("https://b2.example/", "kb2"), (store.Find("b")!.Endpoint.ToString(), store.Find("b")!.RevealApiKey()));
        Assert.True(store.Remove("b"));
        Assert.False(store.Remove("b"));
        Assert.Null(store.Find("b"));
    }

    [Fact]
    public void A_name_that_is_not_a_plain_file_name_is_refused()
    {
        var store = new SavedConnectionStore(_folder);

        var error = Assert.Throws<ArgumentException>(() => store.Save(new SavedConnection("../evil", new Uri("https://x.example/"), "k", null, DateTime.UtcNow)));

        Assert.Contains("not valid", error.Message);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task A_connection_for_a_stack_carries_its_endpoint_and_the_key_value_from_API_Gateway()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());
        using var admin = context.StackAdmin();
        var stack = (await admin.GetStackAsync("BatchPs", CancellationToken.None))!;

        var connection = await admin.ConnectionForAsync(stack, "prod", CancellationToken.None);

        Assert.Equal(Key, connection.RevealApiKey());
        Assert.Equal(stack.Endpoint, connection.Endpoint.ToString().TrimEnd('/'));
        Assert.Contains("apigateway GET /apikeys/k3y1d?includeValue=true", context.Aws.Requests);
        Assert.Equal("application/json", Assert.Single(context.Aws.ApiGatewayAccepts));
        Assert.Empty(context.Aws.SignatureFailures);
    }

    [Fact]
    public async Task An_unknown_API_key_id_is_a_not_found_error()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());
        context.Aws.ApiKeys.Clear();
        using var admin = context.StackAdmin();
        var stack = (await admin.GetStackAsync("BatchPs", CancellationToken.None))!;

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => admin.ConnectionForAsync(stack, "prod", CancellationToken.None));

        Assert.Equal("NotFoundException", error.ErrorCode);
        Assert.Contains("k3y1d", error.Message);
    }

    [Fact]
    public void An_IAM_connection_reads_back_as_IAM_without_a_key_and_refuses_one()
    {
        var store = new SavedConnectionStore(_folder);

        store.Save(new SavedConnection("iam", new Uri("https://abc.execute-api.eu-west-1.amazonaws.com/prod"), null, "entered", DateTime.UtcNow, authMode: "iam"));
        store.Save(new SavedConnection("key", new Uri("https://abc.execute-api.eu-west-1.amazonaws.com/prod"), Key, "entered", DateTime.UtcNow));

        Assert.Equal(SavedConnection.IamAuthMode, store.Find("iam")!.AuthMode);
        Assert.False(store.Find("iam")!.HasApiKey);
        Assert.Equal(SavedConnection.ApiKeyAuthMode, store.Find("key")!.AuthMode);
        Assert.Throws<ArgumentException>(() => new SavedConnection("x", new Uri("https://x.example/"), Key, null, DateTime.UtcNow, authMode: "IAM"));
        Assert.Throws<ArgumentException>(() => new SavedConnection("x", new Uri("https://x.example/"), null, null, DateTime.UtcNow, authMode: "Cognito"));
    }

    [Fact]
    public async Task A_connection_for_an_IAM_stack_is_marked_IAM_and_reads_no_key()
    {
        await using var context = await AdminTestContext.StartAsync();
        context.Aws.CloudFormation.Outputs.Remove("ApiKeyId");
        context.Aws.CloudFormation.Outputs["AuthMode"] = "IAM";
        context.Aws.CloudFormation.Seed("BatchPs", "CREATE_COMPLETE", "t", new());
        using var admin = context.StackAdmin();
        var stack = (await admin.GetStackAsync("BatchPs", CancellationToken.None))!;

        var connection = await admin.ConnectionForAsync(stack, "prod", CancellationToken.None);

        Assert.Equal(SavedConnection.IamAuthMode, connection.AuthMode);
        Assert.False(connection.HasApiKey);
        Assert.DoesNotContain(context.Aws.Requests, r => r.StartsWith("apigateway", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
