using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Model;
using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Runtime;

/// <summary>One execution in progress: the state loop, input/output processing, Retry/Catch, history and counting.</summary>
internal sealed class ExecutionRun
{
    private const int InlineMapConcurrency = 40;

    private readonly StateMachineDefinition _definition;
    private readonly TaskResourceRegistry _resources;
    private readonly InterpreterOptions _options;
    private readonly TimeProvider _time;
    private readonly string _executionId;
    private readonly string _executionName;
    private readonly DateTimeOffset _startTime;
    private readonly JsonNode? _executionInput;
    private readonly List<HistoryEvent> _history;
    private readonly object _historyLock = new();
    private int _transitions;

    public ExecutionRun(StateMachineDefinition definition, TaskResourceRegistry resources, InterpreterOptions options,
        string executionId, string executionName, DateTimeOffset startTime, JsonNode? executionInput, int transitions,
        IReadOnlyList<HistoryEvent> history)
    {
        _definition = definition;
        _resources = resources;
        _options = options;
        _time = options.TimeProvider;
        _executionId = executionId;
        _executionName = executionName;
        _startTime = startTime;
        _executionInput = executionInput;
        _transitions = transitions;
        _history = [.. history];
    }

    public async Task<ExecutionResult> RunAsync(string startState, JsonNode? input, bool started, CancellationToken cancellationToken, ExecutionAbort? abort = null)
    {
        if (!started)
        {
            Record("ExecutionStarted", input: input);
            if (_options.CheckpointSink is { } first)
            {
                // Before any state runs, so a stop during the first state still leaves a resumable execution.
                await first.SaveAsync(Checkpoint(startState, input), cancellationToken).ConfigureAwait(false);
            }
        }
        using var timeout = LongTimers.After(_definition.TimeoutSeconds is { } seconds ? Remaining(seconds) : System.Threading.Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, abort?.Token ?? CancellationToken.None);
        var current = startState;
        try
        {
            while (true)
            {
                var (output, next) = await RunStateAsync(_definition.Root.States[current], input, linked.Token).ConfigureAwait(false);
                if (next is null)
                {
                    Record("ExecutionSucceeded", output: output);
                    return await CompleteAsync(Result(ExecutionStatus.SUCCEEDED, output, null, null), cancellationToken).ConfigureAwait(false);
                }
                current = next;
                input = output;
                if (_options.CheckpointSink is { } sink)
                {
                    await sink.SaveAsync(Checkpoint(current, input), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (abort is { IsRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            // The running state saw the abort as a cancellation (or failed because of it): the abort decides.
            Record("ExecutionAborted", error: abort.Error, cause: abort.Cause);
            return await CompleteAsync(Result(ExecutionStatus.ABORTED, null, abort.Error, abort.Cause), cancellationToken).ConfigureAwait(false);
        }
        catch (StatesErrorException e)
        {
            Record("ExecutionFailed", error: e.Error, cause: e.Cause);
            return await CompleteAsync(Result(ExecutionStatus.FAILED, null, e.Error, e.Cause), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var cause = $"The execution ran longer than the state machine's TimeoutSeconds ({_definition.TimeoutSeconds}).";
            Record("ExecutionTimedOut", error: StatesErrors.Timeout, cause: cause);
            return await CompleteAsync(Result(ExecutionStatus.TIMED_OUT, null, StatesErrors.Timeout, cause), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ExecutionResult> CompleteAsync(ExecutionResult result, CancellationToken cancellationToken)
    {
        if (_options.CheckpointSink is { } sink)
        {
            await sink.CompletedAsync(result, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private TimeSpan Remaining(int timeoutSeconds)
    {
        var left = _startTime.AddSeconds(timeoutSeconds) - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }

    private ExecutionCheckpoint Checkpoint(string next, JsonNode? input)
    {
        lock (_historyLock)
        {
            return new ExecutionCheckpoint
            {
                ExecutionId = _executionId,
                ExecutionName = _executionName,
                StartTime = _startTime,
                ExecutionInput = _executionInput?.DeepClone(),
                NextState = next,
                StateInput = input?.DeepClone(),
                TransitionCount = Volatile.Read(ref _transitions),
                History = [.. _history],
            };
        }
    }

    private ExecutionResult Result(ExecutionStatus status, JsonNode? output, string? error, string? cause)
    {
        lock (_historyLock)
        {
            return new ExecutionResult
            {
                ExecutionId = _executionId,
                Status = status,
                Output = output,
                Error = string.IsNullOrEmpty(error) ? null : error,
                Cause = cause,
                TransitionCount = Volatile.Read(ref _transitions),
                StartDate = _startTime,
                StopDate = _time.GetUtcNow(),
                History = [.. _history],
            };
        }
    }

    /// <summary>Runs a set of states (a branch, an iteration) from its start to its end; returns its output.</summary>
    private async Task<JsonNode?> RunSetAsync(StateSet set, JsonNode? input, CancellationToken cancellationToken)
    {
        var current = set.StartAt;
        while (true)
        {
            var (output, next) = await RunStateAsync(set.States[current], input, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                return output;
            }
            current = next;
            input = output;
        }
    }

    private async Task<(JsonNode? Output, string? Next)> RunStateAsync(State state, JsonNode? input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Interlocked.Increment(ref _transitions);
        var entered = _time.GetUtcNow();
        var enteredEvent = Record(state.Type + "StateEntered", state.Name, input: input);
        JsonNode? output;
        string? next = state.Next;
        try
        {
            switch (state)
            {
                case PassState pass:
                {
                    // A Pass state's $$.State has no RetryCount in AWS (it cannot retry).
                    var context = Context(state, entered, null);
                    var effective = ApplyInputPath(state, input, context);
                    var result = pass.HasResult ? pass.StaticResult?.DeepClone()
                        : pass.Parameters is { } parameters ? parameters.Evaluate(new PathScope(effective, context))
                        : effective;
                    output = ApplyOutput(state, input, result, context);
                    break;
                }
                case ChoiceState choice:
                {
                    var context = Context(state, entered, 0);
                    var effective = ApplyInputPath(state, input, context);
                    var scope = new PathScope(effective, context);
                    next = choice.Choices.FirstOrDefault(rule => rule.Evaluate(scope))?.Next ?? choice.Default
                        ?? throw new StatesErrorException(StatesErrors.NoChoiceMatched, $"No Matches! The Choice state \"{state.Name}\" matched no rule and has no Default.");
                    output = ApplyOutputPath(state, effective, context);
                    break;
                }
                case WaitState wait:
                {
                    var context = Context(state, entered, 0);
                    var effective = ApplyInputPath(state, input, context);
                    var delay = WaitTime(wait, effective, context);
                    if (delay > TimeSpan.Zero)
                    {
                        await LongTimers.DelayAsync(delay, _time, cancellationToken).ConfigureAwait(false);
                    }
                    output = ApplyOutputPath(state, effective, context);
                    break;
                }
                case SucceedState:
                {
                    var context = Context(state, entered, 0);
                    output = ApplyOutputPath(state, ApplyInputPath(state, input, context), context);
                    break;
                }
                case FailState fail:
                {
                    var scope = new PathScope(input, Context(state, entered, 0));
                    var error = fail.ErrorPath is { } errorPath ? StringFrom(errorPath.Evaluate(scope, "ErrorPath"), "ErrorPath") : fail.Error;
                    var cause = fail.CausePath is { } causePath ? StringFrom(causePath.Evaluate(scope, "CausePath"), "CausePath") : fail.Cause;
                    throw new StatesErrorException(error ?? "", cause);
                }
                default:
                    (output, next) = await RunWithRetryAsync(state, input, entered, entry, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (StatesErrorException e) when (e.Error == StatesErrors.Runtime && !(e.Cause ?? "").StartsWith(RuntimeCausePrefix, StringComparison.Ordinal))
        {
            // AWS's wording for a runtime error in a state: "An error occurred while executing the state 'X'
            // (entered at the event id #N). ..." (N: the id of the StateEntered history event).
            throw new StatesErrorException(StatesErrors.Runtime, $"{RuntimeCausePrefix}'{state.Name}' (entered at the event id #{enteredEvent}). {e.Cause}", e);
        }
        // The payload quota applies to every state's output, not only to task results: a Pass or Parallel state
        // that builds more than 256 KiB fails the execution (States.DataLimitExceeded, which no Catch matches).
        var size = JsonValues.Utf8Length(output);
        if (size > JsonValues.MaxPayloadBytes)
        {
            throw new StatesErrorException(StatesErrors.DataLimitExceeded,
                $"The state/task '{state.Name}' returned a result with a size exceeding the maximum number of bytes service limit ({size} bytes; at most {JsonValues.MaxPayloadBytes}, 256 KiB of UTF-8).");
        }
        Record(state.Type + "StateExited", state.Name, output: output);
        return (output, next);
    }

    private const string RuntimeCausePrefix = "An error occurred while executing the state ";

    private static string StringFrom(JsonNode? value, string field) =>
        JsonValues.TryGetString(value, out var text)
            ? text
            : throw StatesErrorException.Runtime($"The value of {field} must be a string, not {JsonValues.Serialize(value)}.");

    /// <summary>Task, Parallel and Map: the work, then Retry and Catch (states-language.net "Errors").</summary>
    private async Task<(JsonNode? Output, string? Next)> RunWithRetryAsync(State state, JsonNode? input,
        DateTimeOffset entered, int entry, CancellationToken cancellationToken)
    {
        var attempts = new int[state.Retry.Count];
        var retryCount = 0;
        while (true)
        {
            var context = Context(state, entered, retryCount);
            try
            {
                var effective = ApplyInputPath(state, input, context);
                JsonNode? result = state switch
                {
                    TaskState task => await RunTaskAsync(task, input, Parameters(state, effective, context), context, entry, retryCount, cancellationToken).ConfigureAwait(false),
                    ParallelState parallel => await RunParallelAsync(parallel, Parameters(state, effective, context), cancellationToken).ConfigureAwait(false),
                    _ => await RunMapAsync((MapState)state, input, effective, context, cancellationToken).ConfigureAwait(false),
                };
                if (state.ResultSelector is { } selector)
                {
                    result = selector.Evaluate(new PathScope(result, context));
                }
                return (ApplyOutput(state, input, result, context), state.Next);
            }
            catch (StatesErrorException e) when (!StatesErrors.IsTerminal(e.Error))
            {
                var retrier = Array.FindIndex(state.Retry.ToArray(), r => r.ErrorEquals.Any(p => StatesErrors.Matches(p, e.Error)));
                if (retrier >= 0 && attempts[retrier] < state.Retry[retrier].MaxAttempts)
                {
                    attempts[retrier]++;
                    retryCount++;
                    var delay = state.Retry[retrier].Delay(attempts[retrier]);
                    if (state.Retry[retrier].FullJitter)
                    {
                        delay = TimeSpan.FromTicks((long)(delay.Ticks * _options.Random.NextDouble()));
                    }
                    if (delay > TimeSpan.Zero)
                    {
                        await LongTimers.DelayAsync(delay, _time, cancellationToken).ConfigureAwait(false);
                    }
                    Interlocked.Increment(ref _transitions);
                    continue;
                }
                var catcher = state.Catch.FirstOrDefault(c => c.ErrorEquals.Any(p => StatesErrors.Matches(p, e.Error)));
                if (catcher is null)
                {
                    throw;
                }
                // The Error Output: AWS always writes Cause, as "" when the error has none (a task timeout, a Fail without Cause).
                var errorOutput = new JsonObject { ["Error"] = e.Error, ["Cause"] = e.Cause ?? "" };
                return (ApplyResultPath(catcher.ResultPath, input, errorOutput), catcher.Next);
            }
        }
    }

    private static JsonNode? Parameters(State state, JsonNode? effective, JsonObject context) =>
        state.Parameters is { } parameters ? parameters.Evaluate(new PathScope(effective, context)) : effective;

    private async Task<JsonNode?> RunTaskAsync(TaskState task, JsonNode? rawInput, JsonNode? parameters, JsonObject context,
        int entry, int retryCount, CancellationToken cancellationToken)
    {
        _resources.TryGet(task.Resource, out var resource); // present: the interpreter checked every Task resource
        int? timeoutSeconds = task.TimeoutSeconds;
        if (task.TimeoutSecondsPath is { } path)
        {
            var value = path.Evaluate(new PathScope(rawInput, context), "TimeoutSecondsPath");
            timeoutSeconds = JsonValues.TryGetInteger(value, out var s) && s >= 1 && s <= 99999999 ? (int)s
                : throw StatesErrorException.Runtime($"TimeoutSecondsPath '{path.Text}' must select a positive integer, not {JsonValues.Serialize(value)}.");
        }
        Record("TaskScheduled", task.Name, input: parameters, resource: task.Resource);
        Record("TaskStarted", task.Name, resource: task.Resource);
        using var timeout = LongTimers.After(timeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : System.Threading.Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var invocation = new TaskInvocation
        {
            Resource = task.Resource,
            StateName = task.Name,
            Parameters = parameters,
            Context = (JsonObject)context.DeepClone(),
            ExecutionId = _executionId,
            RetryCount = retryCount,
            InvocationId = $"{_executionId}/{task.Name}/{entry}/{retryCount}",
        };
        try
        {
            var result = await resource.InvokeAsync(invocation, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            var size = JsonValues.Utf8Length(result);
            if (size > JsonValues.MaxPayloadBytes)
            {
                throw new StatesErrorException(StatesErrors.DataLimitExceeded,
                    $"The task result is {size} bytes; Step Functions allows {JsonValues.MaxPayloadBytes} bytes (256 KiB) of UTF-8.");
            }
            Record("TaskSucceeded", task.Name, output: result, resource: task.Resource);
            return result;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // AWS reports a task timeout with an empty Cause; the history says why.
            Record("TaskTimedOut", task.Name, error: StatesErrors.Timeout, cause: $"The task ran longer than its TimeoutSeconds ({timeoutSeconds}).", resource: task.Resource);
            throw new StatesErrorException(StatesErrors.Timeout, "");
        }
        catch (StatesErrorException e)
        {
            Record("TaskFailed", task.Name, error: e.Error, cause: e.Cause, resource: task.Resource);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException && _options.IsHostFailure?.Invoke(e) != true)
        {
            Record("TaskFailed", task.Name, error: StatesErrors.TaskFailed, cause: e.Message, resource: task.Resource);
            throw new StatesErrorException(StatesErrors.TaskFailed, e.Message, e);
        }
    }

    private async Task<JsonNode?> RunParallelAsync(ParallelState parallel, JsonNode? input, CancellationToken cancellationToken)
    {
        Record("ParallelStateStarted", parallel.Name);
        var outputs = await RunAllAsync(parallel.Branches.Count, 0,
            (i, token) => RunSetAsync(parallel.Branches[i], input?.DeepClone(), token), parallel, cancellationToken).ConfigureAwait(false);
        Record("ParallelStateSucceeded", parallel.Name);
        return new JsonArray(outputs);
    }

    private async Task<JsonNode?> RunMapAsync(MapState map, JsonNode? rawInput, JsonNode? effective, JsonObject context, CancellationToken cancellationToken)
    {
        JsonNode? items = effective;
        if (map.ItemsPath is { } itemsPath)
        {
            items = itemsPath.Evaluate(new PathScope(effective, context), "ItemsPath");
        }
        if (items is not JsonArray array)
        {
            throw StatesErrorException.Runtime($"The Map state \"{map.Name}\" needs an array at ItemsPath '{map.ItemsPath?.Text ?? "$"}', but found {JsonValues.Kind(items)}.");
        }
        var concurrency = map.MaxConcurrency;
        if (map.MaxConcurrencyPath is { } path)
        {
            var value = path.Evaluate(new PathScope(rawInput, context), "MaxConcurrencyPath");
            concurrency = JsonValues.TryGetInteger(value, out var c) && c >= 0 && c <= int.MaxValue ? (int)c
                : throw StatesErrorException.Runtime($"MaxConcurrencyPath '{path.Text}' must select a non-negative integer, not {JsonValues.Serialize(value)}.");
        }
        // Developer guide, "Using Map state in Inline mode": "the Map state supports up to 40 concurrent iterations".
        concurrency = concurrency == 0 ? InlineMapConcurrency : Math.Min(concurrency, InlineMapConcurrency);
        Record("MapStateStarted", map.Name, input: new JsonObject { ["length"] = array.Count });
        var outputs = await RunAllAsync(array.Count, concurrency, async (i, token) =>
        {
            var mapItem = new MapItem(i, array[i]);
            var iterationInput = map.ItemSelector is { } selector
                ? selector.Evaluate(new PathScope(effective, WithMapItem(context, mapItem)))
                : array[i]?.DeepClone();
            Record("MapIterationStarted", map.Name, index: i);
            try
            {
                var output = await RunSetAsync(map.ItemProcessor, iterationInput, token).ConfigureAwait(false);
                Record("MapIterationSucceeded", map.Name, index: i);
                return output;
            }
            catch (StatesErrorException e)
            {
                Record("MapIterationFailed", map.Name, index: i, error: e.Error, cause: e.Cause);
                throw;
            }
        }, map, cancellationToken).ConfigureAwait(false);
        Record("MapStateSucceeded", map.Name);
        return new JsonArray(outputs);
    }

    /// <summary>
    /// Runs <paramref name="count"/> jobs, at most <paramref name="concurrency"/> at once (0 = all). The first failure
    /// stops the others and is rethrown, as when a Parallel branch or a Map iteration fails.
    /// </summary>
    private async Task<JsonNode?[]> RunAllAsync(int count, int concurrency, Func<int, CancellationToken, Task<JsonNode?>> job,
        State state, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(concurrency > 0 ? concurrency : Math.Max(count, 1)); // 0: all at once (Parallel)
        StatesErrorException? first = null;
        var results = new JsonNode?[count];
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                results[i] = await job(i, stop.Token).ConfigureAwait(false);
            }
            catch (StatesErrorException e)
            {
                Interlocked.CompareExchange(ref first, e, null);
                stop.Cancel();
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (first is not null)
        {
            // A sibling failed and stopped this one; the failure is rethrown below.
        }
        if (first is not null)
        {
            Record(state.Type + "StateFailed", state.Name, error: first.Error, cause: first.Cause);
            throw first;
        }
        return results;
    }

    private static TimeSpan WaitTimeUntil(DateTimeOffset until, DateTimeOffset now) => until > now ? until - now : TimeSpan.Zero;

    /// <summary>
    /// The longest wait AWS schedules: a Wait state further ahead than 2^31-1 seconds fails with States.Runtime
    /// "Wait state delay is too long." (as recorded in AWS).
    /// </summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(int.MaxValue);

    private TimeSpan WaitTime(WaitState wait, JsonNode? effective, JsonObject context)
    {
        var delay = WaitTimeOf(wait, effective, context);
        return delay <= MaxWait ? delay : throw StatesErrorException.Runtime("Wait state delay is too long.");
    }

    private TimeSpan WaitTimeOf(WaitState wait, JsonNode? effective, JsonObject context)
    {
        var now = _time.GetUtcNow();
        if (wait.Seconds is { } seconds)
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)int.MaxValue + 1));
        }
        if (wait.Timestamp is { } timestamp)
        {
            return WaitTimeUntil(timestamp, now);
        }
        var scope = new PathScope(effective, context);
        if (wait.SecondsPath is { } secondsPath)
        {
            var value = secondsPath.Evaluate(scope, "SecondsPath");
            return JsonValues.TryGetInteger(value, out var s) && s >= 0
                ? TimeSpan.FromSeconds(Math.Min(s, (long)int.MaxValue + 1)) // beyond 2^31-1 s: "too long" (the caller)
                : throw StatesErrorException.Runtime($"The SecondsPath parameter does not reference a valid non-negative integer: {JsonValues.Serialize(value)}");
        }
        var stamp = wait.TimestampPath!.Evaluate(scope, "TimestampPath");
        return JsonValues.TryGetString(stamp, out var text) && Timestamps.TryParse(text, out var until)
            ? WaitTimeUntil(until, now)
            : throw StatesErrorException.Runtime($"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {JsonValues.Serialize(stamp)}");
    }

    private static JsonNode? ApplyInputPath(State state, JsonNode? input, JsonObject context)
    {
        if (state.InputPath is null)
        {
            return new JsonObject();
        }
        var source = state.InputPathFromContext ? context : input;
        if (state.InputPath.IsRoot)
        {
            return state.InputPathFromContext ? source?.DeepClone() : source;
        }
        return state.InputPath.TryEvaluate(source, out var value)
            ? value?.DeepClone()
            : throw StatesErrorException.Runtime($"Invalid path '{PathText(state.InputPathFromContext, state.InputPath)}' : No results for path: {PathText(state.InputPathFromContext, state.InputPath)} (InputPath of state \"{state.Name}\").");
    }

    private static JsonNode? ApplyOutputPath(State state, JsonNode? value, JsonObject context)
    {
        if (state.OutputPath is null)
        {
            return new JsonObject();
        }
        var source = state.OutputPathFromContext ? context : value;
        if (state.OutputPath.IsRoot)
        {
            return state.OutputPathFromContext ? source?.DeepClone() : source;
        }
        return state.OutputPath.TryEvaluate(source, out var output)
            ? output?.DeepClone()
            : throw StatesErrorException.Runtime($"Invalid path '{PathText(state.OutputPathFromContext, state.OutputPath)}' : No results for path: {PathText(state.OutputPathFromContext, state.OutputPath)} (OutputPath of state \"{state.Name}\").");
    }

    private static string PathText(bool fromContext, JsonPath path) => fromContext ? "$" + path.Text : path.Text;

    private static JsonNode? ApplyOutput(State state, JsonNode? rawInput, JsonNode? result, JsonObject context) =>
        ApplyOutputPath(state, ApplyResultPath(state.ResultPath, rawInput, result), context);

    private static JsonNode? ApplyResultPath(JsonPath? resultPath, JsonNode? rawInput, JsonNode? result)
    {
        if (resultPath is null)
        {
            return rawInput;
        }
        return resultPath.TryWrite(rawInput, result, out var output, out var problem)
            ? output
            : throw new StatesErrorException(StatesErrors.ResultPathMatchFailure,
                $"Unable to apply ResultPath \"{resultPath.Text}\" to input {JsonValues.Serialize(rawInput)}: {problem}.");
    }

    /// <summary>The context object (developer guide, "Accessing execution data from the Context object").</summary>
    private JsonObject Context(State state, DateTimeOffset entered, int? retryCount)
    {
        var context = new JsonObject
        {
            ["Execution"] = new JsonObject
            {
                ["Id"] = _executionId,
                ["Input"] = _executionInput?.DeepClone(),
                ["Name"] = _executionName,
                ["RoleArn"] = _options.ArnPrefix.Replace(":states:", ":iam:", StringComparison.Ordinal).Replace(":local:", "::", StringComparison.Ordinal) + ":role/local",
                ["StartTime"] = Timestamps.Format(_startTime),
                ["RedriveCount"] = 0,
            },
            ["State"] = new JsonObject
            {
                ["EnteredTime"] = Timestamps.Format(entered),
                ["Name"] = state.Name,
            },
            ["StateMachine"] = new JsonObject
            {
                ["Id"] = $"{_options.ArnPrefix}:stateMachine:{_options.StateMachineName}",
                ["Name"] = _options.StateMachineName,
            },
        };
        if (retryCount is { } count)
        {
            ((JsonObject)context["State"]!)["RetryCount"] = count;
        }
        return context;
    }

    private static JsonObject WithMapItem(JsonObject context, MapItem item)
    {
        var copy = (JsonObject)context.DeepClone();
        copy["Map"] = new JsonObject { ["Item"] = new JsonObject { ["Index"] = item.Index, ["Value"] = item.Value?.DeepClone() } };
        return copy;
    }

    /// <summary>Appends a history event; returns its id (1 for ExecutionStarted).</summary>
    private int Record(string type, string? stateName = null, JsonNode? input = null, JsonNode? output = null,
        string? error = null, string? cause = null, string? resource = null, int? index = null)
    {
        lock (_historyLock)
        {
            var id = _history.Count + 1;
            _history.Add(new HistoryEvent
            {
                Id = id,
                Timestamp = _time.GetUtcNow(),
                Type = type,
                StateName = stateName,
                Input = input?.DeepClone(),
                Output = output?.DeepClone(),
                Error = error,
                Cause = cause,
                Resource = resource,
                Index = index,
            });
            return id;
        }
    }

    /// <summary>The Map item an ItemSelector is evaluated for (<c>$$.Map.Item</c>, which exists only there).</summary>
    private sealed record MapItem(int Index, JsonNode? Value);
}
