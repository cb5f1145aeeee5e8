using System.Net;
using System.Text;
using BatchPs.Core.Client;
using BatchPs.Core.Triggers;

namespace BatchPs.LocalStack.Tests;

/// <summary>The key a launcher gives the stack stays out of every place another process of the user can read.</summary>
public sealed class LauncherSecretTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_launchers_key_is_neither_in_the_stacks_environment_nor_command_line_nor_a_jobs_environment_and_its_data_folder_is_owner_only()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc is Linux's
        var key = LocalStackLauncher.NewApiKey();
        var catalog = _folder.Write("catalog.json", "{\"jobs\": [" + Jobs.Shell(
            "snoop", "tr '\\0' '\\n' < /proc/$PPID/environ > \"$1\"; tr '\\0' ' ' < /proc/$PPID/cmdline >> \"$1\"; env >> \"$1\"", "\"Ref::out\"", """{"out": null}""") + "]}");
        var instance = await LocalStackLauncher.StartAsync(new LocalStackStartOptions(StackProcess.Dll)
        {
            DataDirectory = _folder.File("data"),
            CatalogPath = catalog,
            ApiKey = key,
        });
        try
        {
            var environ = await File.ReadAllTextAsync($"/proc/{instance.ProcessId}/environ");
            var commandLine = await File.ReadAllTextAsync($"/proc/{instance.ProcessId}/cmdline");
            Assert.DoesNotContain(key, environ);
            Assert.DoesNotContain("BATCHPS_API_KEY", environ);
            Assert.DoesNotContain(key, commandLine);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(instance.DataDirectory));

            using var client = new HttpClient { BaseAddress = instance.Endpoint };
            client.DefaultRequestHeaders.Add("x-api-key", key);
            var output = _folder.File("snooped.txt");
            using var post = await client.PostAsync("/triggers", new StringContent($$$"""{"jobName": "snoop", "parameters": {"out": "{{{output}}}"}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            var id = TestStack.Parse(await post.Content.ReadAsStringAsync()).TriggerId;
            var final = await Eventually.WaitForAsync(async () => TestStack.Parse(await client.GetStringAsync("/triggers/" + id)), r => r.IsFinal, TimeSpan.FromSeconds(60), "snoop to finish");

            Assert.Equal(TriggerStatus.SUCCEEDED, final.Status);
            var snooped = await File.ReadAllTextAsync(output);
            Assert.Contains("AWS_BATCH_JOB_ID=", snooped); // the job's own environment was read
            Assert.DoesNotContain(key, snooped);
        }
        finally
        {
            LocalStackLauncher.Stop(instance, TimeSpan.FromSeconds(15), keepData: false);
        }
    }
}
