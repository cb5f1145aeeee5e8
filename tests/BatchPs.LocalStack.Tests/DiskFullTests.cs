using System.Net;
using System.Text.Json.Nodes;
using BatchPs.Core.Api;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>A POST while the data folder's disk is full answers 507 StorageFull naming the folder, and stores nothing.</summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task A_trigger_sent_while_the_disk_is_full_gets_507_naming_the_data_folder_and_nothing_is_stored()
    {
        await using var stack = await TestStack.StartAsync(Jobs.Shell("quick", "exit 0"));
        var faults = new DiskFaults(stack.Server);

        faults.Fill();
        using var response = await stack.PostRawAsync("""{"jobName": "quick", "idempotencyKey": "full-disk-1"}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        faults.Free();

        Assert.Equal((HttpStatusCode)507, response.StatusCode);
        Assert.Equal(ErrorCodes.StorageFull, (string?)body["code"]);
        var message = (string)body["message"]!;
        Assert.Contains(stack.DataDirectory, message);
        Assert.Contains("is full", message);
        Assert.DoesNotContain("safe to retry", message);
        Assert.Equal(0, stack.CountTriggers());

        // Once there is space, the same key is accepted as a new trigger, once.
        var record = await stack.SendAsync("quick", idempotencyKey: "full-disk-1");
        Assert.Equal(TriggerStatus.SUCCEEDED, (await stack.WaitForFinalAsync(record.TriggerId)).Status);
        Assert.Equal(1, stack.CountTriggers());
    }

    [Fact]
    public async Task The_client_does_not_retry_a_full_disk_and_shows_the_stacks_message()
    {
        await using var stack = await TestStack.StartAsync(Jobs.Shell("quick", "exit 0"));
        var faults = new DiskFaults(stack.Server);
        using var client = new BatchTriggerClient(new BatchTriggerClientOptions(stack.Server.Endpoint, TestStack.ApiKey));

        faults.Fill();
        var error = await Assert.ThrowsAsync<BatchTriggerException>(() => client.SendAsync(new TriggerRequest { JobName = "quick" }));

        Assert.Equal(ErrorCodes.StorageFull, error.Code);
        Assert.Equal(507, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Contains(stack.DataDirectory, error.Message);
        Assert.Equal(1, faults.Failed);
    }
}
