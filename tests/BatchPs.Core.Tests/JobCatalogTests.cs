using BatchPs.Core.Api;
using BatchPs.Core.Catalog;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Core.Tests;

public class JobCatalogTests
{
    private const string Catalog = """
        {"jobs": [
          {"name": "hello", "command": ["echo", "Ref::name"], "parameters": {"name": "world", "date": null},
           "retryStrategy": {"attempts": 2, "evaluateOnExit": [{"onExitCode": "3*", "action": "EXIT"}]},
           "timeoutSeconds": 120, "allowOverrides": ["schedulingPriority"], "tags": {"team": "etl"}}
        ]}
        """;

    [Fact]
    public void Catalog_file_loads_entries()
    {
        var entries = JobCatalogFile.Parse(Catalog, "test.json");
        var hello = Assert.Single(entries);
        Assert.Equal(new[] { "echo", "Ref::name" }, hello.Command);
        Assert.Null(hello.Parameters["date"]);
        Assert.Equal(2, hello.RetryStrategy!.Attempts);
    }

    [Fact]
    public void Catalog_typo_is_reported_with_its_place()
    {
        var ex = Assert.Throws<CatalogException>(() => JobCatalogFile.Parse("""{"jobs":[{"name":"a","comand":["x"]}]}""", "c.json"));
        Assert.Contains("c.json", ex.Message);
        Assert.Contains("comand", ex.Message);
    }

    [Fact]
    public void Duplicate_and_invalid_entries_are_all_listed()
    {
        var ex = Assert.Throws<CatalogException>(() => JobCatalogFile.Parse("""{"jobs":[{"name":"a","command":["x"]},{"name":"a"},{"name":"b","command":["x"],"arraySize":1}]}""", "c.json"));
        Assert.Contains("used twice", ex.Message);
        Assert.Contains("command is missing", ex.Message);
        Assert.Contains("arraySize", ex.Message);
    }

    [Theory]
    [InlineData("""["Ref::program", "--verbose"]""", "command[0]")]
    [InlineData("""["{localstack}", "Ref::verb"]""", "command[1]")]
    public void A_catalog_entry_whose_program_is_a_parameter_is_refused_when_the_catalog_loads(string command, string place)
    {
        var ex = Assert.Throws<CatalogException>(() => JobCatalogFile.Parse($$$"""{"jobs":[{"name":"export","command":{{{command}}},"parameters":{"program":"x","verb":"x"}}]}""", "c.json"));

        Assert.Contains("jobs[0] ('export')", ex.Message);
        Assert.Contains($"{place} is a parameter reference", ex.Message);
        Assert.Contains("a caller would choose the program that runs", ex.Message);
    }

    [Fact]
    public void A_parameter_reference_as_an_argument_is_allowed()
    {
        var entries = JobCatalogFile.Parse("""{"jobs":[{"name":"export","command":["pwsh", "-File", "./export.ps1", "Ref::date"],"parameters":{"date":null}}]}""", "c.json");

        Assert.Equal("Ref::date", entries[0].Command![3]);
    }

    [Fact]
    public void Trigger_checks_name_parameters_and_overrides()
    {
        var entry = JobCatalogFile.Parse(Catalog, "t")[0];
        var ok = new Dictionary<string, string> { ["date"] = "2026-11-24" };
        Assert.Null(JobCatalogRules.CheckTrigger(entry, "hello", ok, new TriggerOverrides { SchedulingPriority = 5 }));
        Assert.Equal(ErrorCodes.UnknownJob, JobCatalogRules.CheckTrigger(null, "nope", ok, null)!.Code);
        Assert.Equal(ErrorCodes.InvalidParameter, JobCatalogRules.CheckTrigger(entry, "hello", new Dictionary<string, string>(), null)!.Code);
        Assert.Equal(ErrorCodes.InvalidParameter, JobCatalogRules.CheckTrigger(entry, "hello", new Dictionary<string, string>(ok) { ["x"] = "1" }, null)!.Code);
        Assert.Equal(ErrorCodes.OverrideNotAllowed, JobCatalogRules.CheckTrigger(entry, "hello", ok, new TriggerOverrides { ArraySize = 4 })!.Code);
    }

    [Fact]
    public void Workflow_input_is_a_submit_job_request_with_defaults_applied()
    {
        var entry = JobCatalogFile.Parse(Catalog, "t")[0];
        var trigger = new TriggerRecord { TriggerId = "t1", JobName = "hello", Parameters = new() { ["date"] = "d" }, Overrides = new TriggerOverrides { SchedulingPriority = 7 } };
        var input = WorkflowInput.Build(trigger, entry);
        var submit = input["submitJob"]!;
        Assert.Equal("hello-t1-02", (string)submit["JobName"]!);
        Assert.Equal("world", (string)submit["Parameters"]!["name"]!);
        Assert.Equal("d", (string)submit["Parameters"]!["date"]!);
        Assert.Equal(120, (int)submit["Timeout"]!["AttemptDurationSeconds"]!);
        Assert.Equal(2, (int)submit["RetryStrategy"]!["Attempts"]!);
        Assert.Equal("EXIT", (string)submit["RetryStrategy"]!["EvaluateOnExit"]![0]!["Action"]!);
        Assert.Equal(7, (int)submit["SchedulingPriorityOverride"]!);
        Assert.Equal("t1", (string)submit["Tags"]![WorkflowInput.TriggerIdTag]!);
    }

    [Fact]
    public void Execution_names_are_deterministic_and_valid()
    {
        Assert.Equal("abc_DEF-1", ExecutionNames.ForTrigger("abc_DEF-1"));
        var hashed = ExecutionNames.ForTrigger("has:colon");
        Assert.Equal(hashed, ExecutionNames.ForTrigger("has:colon"));
        Assert.Matches("^[0-9A-Za-z_-]{1,80}$", hashed);
        Assert.True(ExecutionNames.BatchJobName(new string('j', 128), "t1").Length <= 128);
    }

    [Theory]
    [InlineData("nightly-export", "k-nightly-2026-11-24")]
    [InlineData("a-b", "5f0c2a3e-1b7d-4c55-9a8e-3f1d2c4b5a69")]
    [InlineData("job.with.dots", "k-x-12")]
    [InlineData("jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj", "k-0123456789012345678901234567890123456789012345678901234567890123")]
    public void A_Batch_job_name_gives_back_its_trigger_id_whatever_dashes_both_parts_hold(string job, string triggerId)
    {
        var name = ExecutionNames.BatchJobName(job, triggerId);

        Assert.Matches("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$", name);
        Assert.Equal(triggerId, ExecutionNames.TriggerIdOfExecution(ExecutionNames.ExecutionNameOfBatchJob(name)!));
    }

    [Theory]
    [InlineData("event-test")]
    [InlineData("flaky-t1")]
    [InlineData("job-abc-99")]
    [InlineData("x-03")]
    [InlineData(null)]
    public void A_job_name_BatchPs_did_not_give_has_no_execution_name(string? name) =>
        Assert.Null(ExecutionNames.ExecutionNameOfBatchJob(name));

    [Fact]
    public void A_hashed_execution_name_gives_no_trigger_id_so_the_tag_is_used()
    {
        var job = new BatchPs.Core.Batch.BatchJobSummary { JobName = ExecutionNames.BatchJobName("hello", "has:colon"), Tags = { [WorkflowInput.TriggerIdTag] = "has:colon" } };

        Assert.Null(ExecutionNames.TriggerIdOfExecution(ExecutionNames.ExecutionNameOfBatchJob(job.JobName)!));
        Assert.Equal("has:colon", BatchPs.Core.Batch.BatchJobUpdates.TriggerIdOf(job));
    }
}
