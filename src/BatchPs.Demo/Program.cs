// BatchPs demo: the module's cmdlets in a hosted PowerShell 7.6 engine, against a local stack.
//   dotnet run --project src/BatchPs.Demo [-- --job NAME] [-- --module PATH/BatchPs.psd1]
// Starts the local stack, sends a trigger for the sample job, prints each status change with the
// elapsed time until the trigger is final, prints the job's log, and stops the stack.
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

var job = "hello";
var manifest = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BatchPsModuleManifest").Value!;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--job" when i + 1 < args.Length: job = args[++i]; break;
        case "--module" when i + 1 < args.Length: manifest = Path.GetFullPath(args[++i]); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: BatchPs.Demo [--job NAME] [--module PATH/BatchPs.psd1]");
            return 2;
    }
}
if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"The module is not built at {manifest}. Run 'dotnet build' first, or pass --module.");
    return 2;
}

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
var clock = Stopwatch.StartNew();
void Say(string text) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.00}s] {text}");

ScriptOutput Invoke(string script, bool showProgress = false)
{
    using var ps = PowerShell.Create(runspace);
    string? lastStatus = null;
    if (showProgress)
    {
        // Wait-BatchTrigger reports "STATUS hh:mm:ss - reason" as progress: print each change.
        ps.Streams.Progress.DataAdded += (_, e) =>
        {
            var progress = ps.Streams.Progress[e.Index];
            var status = progress.StatusDescription.Split(' ')[0];
            var reasonAt = progress.StatusDescription.IndexOf(" - ", StringComparison.Ordinal);
            if (progress.RecordType == ProgressRecordType.Processing && status != lastStatus)
            {
                lastStatus = status;
                Say($"status {status}{(reasonAt < 0 ? "" : progress.StatusDescription.Substring(reasonAt))}");
            }
        };
    }
    ps.AddScript(script);
    var output = ps.Invoke();
    return new ScriptOutput(output.ToList(), ps.Streams.Error.ToList());
}

var import = Invoke($"Import-Module '{manifest.Replace("'", "''")}' -PassThru");
if (import.Errors.Count > 0) return Fail("Import-Module failed", import);
Say($"imported BatchPs {import.Output[0].Properties["Version"].Value} from {Path.GetDirectoryName(manifest)}");

var start = Invoke("$global:stack = Start-BatchTriggerLocalStack; $global:stack");
if (start.Errors.Count > 0 || start.Output.Count == 0) return Fail("Start-BatchTriggerLocalStack failed", start);
Say($"local stack listening on {start.Output[0].Properties["Endpoint"].Value} (process {start.Output[0].Properties["ProcessId"].Value})");
try
{
    var send = Invoke($"$global:trigger = $global:stack | Send-BatchTrigger -JobName '{job.Replace("'", "''")}' -Client BatchPs.Demo; $global:trigger");
    if (send.Errors.Count > 0 || send.Output.Count == 0) return Fail("Send-BatchTrigger failed", send);
    Say($"sent trigger {send.Output[0].Properties["TriggerId"].Value} for job '{job}': {send.Output[0].Properties["Status"].Value}");

    var wait = Invoke("$global:trigger | Wait-BatchTrigger -Timeout 300", showProgress: true);
    if (wait.Output.Count == 0) return Fail("Wait-BatchTrigger failed", wait);
    var final = wait.Output[0];
    var status = final.Properties["Status"].Value.ToString();
    Say($"final status {status}, exit code {final.Properties["ExitCode"].Value ?? "none"}");
    if (final.Properties["LogLocation"].Value is string log && File.Exists(log))
    {
        Console.WriteLine($"----- job log ({log}) -----");
        Console.Write(File.ReadAllText(log));
        Console.WriteLine("----- end of log -----");
    }
    foreach (var error in wait.Errors) Console.Error.WriteLine($"error {error.FullyQualifiedErrorId}: {error}");
    return status == "SUCCEEDED" ? 0 : 1;
}
finally
{
    var stop = Invoke("$global:stack | Stop-BatchTriggerLocalStack");
    Say(stop.Errors.Count == 0 ? "local stack stopped" : "stopping the local stack failed: " + string.Join("; ", stop.Errors));
}

static int Fail(string what, ScriptOutput result)
{
    Console.Error.WriteLine(what + ":");
    foreach (var error in result.Errors) Console.Error.WriteLine($"  {error.FullyQualifiedErrorId}: {error}");
    return 1;
}
