using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

public sealed class ArrayJobTests : IAsyncLifetime
{
    private readonly TestFolder _work = new();
    private TestStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await TestStack.StartAsync(Jobs.Shell("fan", "echo \"$AWS_BATCH_JOB_ARRAY_INDEX $AWS_BATCH_JOB_ID\" >> \"$1\"; [ \"$AWS_BATCH_JOB_ARRAY_INDEX\" != \"$2\" ]",
            "\"Ref::file\", \"Ref::failIndex\"", """{"file": null, "failIndex": "none"}""", """, "arraySize": 3"""));

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task An_array_job_runs_every_child_with_its_index_and_succeeds_when_all_do()
    {
        var file = _work.File("all.txt");
        var sent = await _stack.SendAsync("fan", new { file });
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
        Assert.Equal(3, final.ArrayStatusSummary!["SUCCEEDED"]);
        Assert.Equal(0, final.ArrayStatusSummary["FAILED"]);
        var lines = File.ReadAllLines(file).Select(l => l.Split(' ')).OrderBy(l => l[0]).ToList();
        Assert.Equal(new[] { "0", "1", "2" }, lines.Select(l => l[0]));
        Assert.All(lines, l => Assert.Equal($"{final.BatchJobId}:{l[0]}", l[1]));
        Assert.True(Directory.Exists(final.LogLocation), "the log location of an array job is the folder of its children's logs");
    }

    [Fact]
    public async Task An_array_job_fails_when_a_child_fails_and_counts_the_children_by_status()
    {
        var sent = await _stack.SendAsync("fan", new { file = _work.File("one-fails.txt"), failIndex = "1" });
        var final = await _stack.WaitForFinalAsync(sent.TriggerId);

        Assert.Equal(TriggerStatus.FAILED, final.Status);
        Assert.Equal(2, final.ArrayStatusSummary!["SUCCEEDED"]);
        Assert.Equal(1, final.ArrayStatusSummary["FAILED"]);
        Assert.Contains("1 of 3 child jobs failed", final.StatusReason);
    }
}
