using System.Text.Json.Nodes;
using BatchPs.StateMachine.Model;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Runtime;

/// <summary>
/// Runs executions of a loaded definition.
/// <para>
/// Transition counting (what <see cref="ExecutionResult.TransitionCount"/> reports): AWS Step Functions pricing says
/// "Step Functions counts a state transition each time a step of your workflow is executed ... including retries"
/// and "each retry will be charged as an additional state transition" (aws.amazon.com/step-functions/pricing).
/// So the count is +1 for every state entered — top-level states, the Parallel or Map state itself, and every state
/// inside its branches or iterations — and +1 for every retry attempt. Waiting (a Wait state, a .sync task) adds
/// nothing, so the count does not grow with a job's duration.
/// </para>
/// <para>
/// Cancellation of the token passed to <see cref="StartAsync"/> or <see cref="ResumeAsync"/> (e.g. the host shutting
/// down) throws <see cref="OperationCanceledException"/> and leaves the execution running as far as its last
/// checkpoint says, so it can be resumed; it is not an abort. An <see cref="ExecutionAbort"/> passed to them is: the
/// execution ends ABORTED with an <c>ExecutionAborted</c> event.
/// </para>
/// </summary>
public sealed class StateMachineInterpreter
{
    private readonly StateMachineDefinition _definition;
    private readonly TaskResourceRegistry _resources;
    private readonly InterpreterOptions _options;

    /// <summary>Creates an interpreter for <paramref name="definition"/>, loaded against the same <paramref name="resources"/>.</summary>
    public StateMachineInterpreter(StateMachineDefinition definition, TaskResourceRegistry resources, InterpreterOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _resources = resources ?? throw new ArgumentNullException(nameof(resources));
        _options = options ?? new InterpreterOptions();
        var missing = TaskResources(definition.Root).Where(arn => !resources.TryGet(arn, out _)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The definition uses resources this registry lacks: {string.Join(", ", missing)}. Load and run with the same registry.", nameof(resources));
        }
    }

    private static IEnumerable<string> TaskResources(StateSet set) =>
        set.States.Values.SelectMany(state => state switch
        {
            TaskState task => [task.Resource],
            ParallelState parallel => parallel.Branches.SelectMany(TaskResources),
            MapState map => TaskResources(map.ItemProcessor),
            _ => [],
        });

    /// <summary>The execution id (ARN form) an execution named <paramref name="executionName"/> gets.</summary>
    public string ExecutionIdFor(string executionName) =>
        $"{_options.ArnPrefix}:execution:{_options.StateMachineName}:{executionName}";

    /// <summary>
    /// Starts an execution named <paramref name="executionName"/> on <paramref name="input"/> and runs it to its end.
    /// An input over 256 KiB of UTF-8 is refused, as StartExecution refuses it.
    /// </summary>
    public Task<ExecutionResult> StartAsync(string executionName, JsonNode? input, ExecutionAbort? abort = null, CancellationToken cancellationToken = default)
    {
        CheckExecutionName(executionName);
        var size = JsonValues.Utf8Length(input);
        if (size > JsonValues.MaxPayloadBytes)
        {
            throw new ArgumentException($"The execution input is {size} bytes; Step Functions accepts at most {JsonValues.MaxPayloadBytes} bytes (256 KiB) of UTF-8.", nameof(input));
        }
        var run = new ExecutionRun(_definition, _resources, _options, ExecutionIdFor(executionName), executionName,
            _options.TimeProvider.GetUtcNow(), input?.DeepClone(), transitions: 0, history: []);
        return run.RunAsync(_definition.Root.StartAt, input?.DeepClone(), started: false, cancellationToken, abort);
    }

    /// <summary>
    /// StartExecution's rules for a name (API reference, StartExecution "name"): 1 to 80 characters, no white
    /// space, brackets, wildcards, the special characters <c>" # % \ ^ | ~ ` $ &amp; , ; : /</c> or control characters.
    /// </summary>
    private static void CheckExecutionName(string executionName)
    {
        ArgumentNullException.ThrowIfNull(executionName);
        const string forbidden = "<>{}[]?*\"#%\\^|~`$&,;:/";
        var bad = executionName.FirstOrDefault(c => char.IsWhiteSpace(c) || char.IsControl(c) || forbidden.Contains(c));
        if (executionName.Length is 0 or > 80 || bad != default)
        {
            throw new ArgumentException(
                $"The execution name '{executionName}' is not valid: use 1 to 80 characters without white space, brackets, ? * or \" # % \\ ^ | ~ ` $ & , ; : / (e.g. letters, digits, - and _).",
                nameof(executionName));
        }
    }

    /// <summary>
    /// Continues an execution from <paramref name="checkpoint"/>: runs its next state with the saved input. States
    /// completed before the checkpoint are not run again.
    /// </summary>
    public Task<ExecutionResult> ResumeAsync(ExecutionCheckpoint checkpoint, ExecutionAbort? abort = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!_definition.Root.States.ContainsKey(checkpoint.NextState))
        {
            throw new ArgumentException($"The checkpoint's next state \"{checkpoint.NextState}\" is not a top-level state of this definition; was the definition changed?", nameof(checkpoint));
        }
        var run = new ExecutionRun(_definition, _resources, _options, checkpoint.ExecutionId, checkpoint.ExecutionName,
            checkpoint.StartTime, checkpoint.ExecutionInput?.DeepClone(), checkpoint.TransitionCount, checkpoint.History);
        return run.RunAsync(checkpoint.NextState, checkpoint.StateInput?.DeepClone(), started: true, cancellationToken, abort);
    }
}
