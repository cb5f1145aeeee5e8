using BatchPs.LocalStack.Batch;

namespace BatchPs.LocalStack.Tests;

public sealed class JobCommandTests
{
    [Fact]
    public void Whole_Ref_elements_are_substituted_and_others_stay_as_written()
    {
        var command = JobCommand.Resolve(new[] { "tool", "Ref::in", "--x=Ref::in", "Ref::absent", "Ref::" },
            new Dictionary<string, string> { ["in"] = "file.csv" });
        Assert.Equal(new[] { "tool", "file.csv", "--x=Ref::in", "Ref::absent", "Ref::" }, command);
    }

    [Fact]
    public void The_localstack_placeholder_becomes_a_command_that_runs_this_program()
    {
        var command = JobCommand.Resolve(new[] { "{localstack}", "sample-job" }, new Dictionary<string, string>());
        Assert.Equal("sample-job", command[^1]);
        Assert.Contains(command, c => c.EndsWith("BatchPs.LocalStack.dll", StringComparison.Ordinal) || Path.GetFileNameWithoutExtension(c) == "BatchPs.LocalStack");
    }
}
