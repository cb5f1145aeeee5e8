using BatchPs.LocalStack.Batch;

namespace BatchPs.LocalStack.Tests;

public sealed class JobLogFullDiskTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_job_writing_much_output_while_its_log_is_on_a_full_disk_still_runs_to_its_end()
    {
        if (!File.Exists("/dev/full")) return; // Linux's always-full device stands for the full disk.
        var log = _folder.File("attempt-1.log");
        File.CreateSymbolicLink(log, "/dev/full");

        // About 1 MB of output: far more than a pipe holds, so a runner that stopped reading would block the job.
        using var process = JobProcess.Start(new[] { "sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo \"line $i of some output to fill the pipe\"; i=$((i+1)); done" },
            new Dictionary<string, string>(), null, log);
        var (end, exitCode) = await process.WaitAsync(60, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobProcessEnd.Exited, end);
        Assert.Equal(0, exitCode);
    }
}
