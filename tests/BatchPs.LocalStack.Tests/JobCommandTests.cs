using BatchPs.LocalStack.Batch;

namespace BatchPs.LocalStack.Tests;

public sealed class JobCommandTests
{
    [Fact]
    public void Whole_Ref_elements_are_substituted_and_others_stay_as_written()
    {
        var command = JobCommand.Resolve(new[] { "tool", "Ref::in", "--x=Ref::in", "Ref::absent", "Ref::" },
            new Dictionary<string, string> { ["in"] = "file.csv" }, "/base");
        Assert.Equal(new[] { "tool", "file.csv", "--x=Ref::in", "Ref::absent", "Ref::" }, command);
    }

    [Fact]
    public void The_localstack_placeholder_becomes_a_command_that_runs_this_program()
    {
        var command = JobCommand.Resolve(new[] { "{localstack}", "sample-job" }, new Dictionary<string, string>(), "/base");
        Assert.Equal("sample-job", command[^1]);
        Assert.Contains(command, c => c.EndsWith("BatchPs.LocalStack.dll", StringComparison.Ordinal) || Path.GetFileNameWithoutExtension(c) == "BatchPs.LocalStack");
    }

    [Fact]
    public void A_relative_program_path_is_relative_to_the_base_folder_and_a_bare_name_stays_for_PATH()
    {
        Assert.Equal(Path.GetFullPath("/base/scripts/run.sh"), JobCommand.Resolve(new[] { "./scripts/run.sh" }, new Dictionary<string, string>(), "/base")[0]);
        Assert.Equal("sh", JobCommand.Resolve(new[] { "sh" }, new Dictionary<string, string>(), "/base")[0]);
        Assert.Equal("/usr/bin/env", JobCommand.Resolve(new[] { "/usr/bin/env" }, new Dictionary<string, string>(), "/base")[0]);
    }
}
