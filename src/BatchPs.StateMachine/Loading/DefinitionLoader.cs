using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Errors;
using BatchPs.StateMachine.Model;
using BatchPs.StateMachine.Paths;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.StateMachine.Loading;

/// <summary>
/// Loads a definition: applies DefinitionSubstitutions, parses the JSON and validates everything that can be checked
/// before running — fields allowed per state type, paths, payload templates, intrinsic functions, Choice Rules,
/// Retry/Catch, transitions (every target exists, every state reachable, names unique) and the Task resources
/// (registered ones only). Unsupported features (JSONata, variables, activities, callbacks, distributed Map,
/// heartbeats, credentials) are refused here with a message naming the state, never at run time.
/// </summary>
public static class DefinitionLoader
{
    private const int MaxStateNameLength = 80;
    private const int MaxTimeoutSeconds = 99999999;

    private static readonly string[] Common = ["Type", "Comment"];
    private static readonly string[] Transition = ["Next", "End"];
    private static readonly string[] Io = ["InputPath", "OutputPath"];

    private static readonly Dictionary<string, string[]> AllowedFields = new(StringComparer.Ordinal)
    {
        ["Pass"] = [.. Common, .. Transition, .. Io, "ResultPath", "Parameters", "Result"],
        ["Task"] = [.. Common, .. Transition, .. Io, "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath"],
        ["Choice"] = [.. Common, .. Io, "Choices", "Default"],
        ["Wait"] = [.. Common, .. Transition, .. Io, "Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
        ["Succeed"] = [.. Common, .. Io],
        ["Fail"] = [.. Common, "Error", "Cause", "ErrorPath", "CausePath"],
        ["Parallel"] = [.. Common, .. Transition, .. Io, "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Branches"],
        ["Map"] = [.. Common, .. Transition, .. Io, "ResultPath", "Parameters", "ItemSelector", "ResultSelector", "Retry", "Catch", "ItemsPath", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath"],
    };

    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["Assign"] = "workflow variables (Assign) are not supported by this interpreter; pass data through the state input and ResultPath instead",
        ["Arguments"] = "\"Arguments\" belongs to JSONata states, which this interpreter does not run; use \"Parameters\" (JSONPath)",
        ["Output"] = "\"Output\" belongs to JSONata states, which this interpreter does not run; use ResultSelector/ResultPath/OutputPath (JSONPath)",
        ["HeartbeatSeconds"] = "HeartbeatSeconds applies to activities and callback tasks, which this interpreter does not run; remove it (use TimeoutSeconds)",
        ["HeartbeatSecondsPath"] = "HeartbeatSecondsPath applies to activities and callback tasks, which this interpreter does not run; remove it (use TimeoutSeconds)",
        ["Credentials"] = "cross-account Credentials are not supported locally; remove the field",
        ["ItemReader"] = "ItemReader (distributed Map) is not supported; use an inline Map over an array in the input",
        ["ItemBatcher"] = "ItemBatcher (distributed Map) is not supported; use an inline Map",
        ["ResultWriter"] = "ResultWriter (distributed Map) is not supported; use an inline Map",
        ["ToleratedFailurePercentage"] = "tolerated failures (distributed Map) are not supported; use an inline Map with Catch in the ItemProcessor",
        ["ToleratedFailurePercentagePath"] = "tolerated failures (distributed Map) are not supported; use an inline Map with Catch in the ItemProcessor",
        ["ToleratedFailureCount"] = "tolerated failures (distributed Map) are not supported; use an inline Map with Catch in the ItemProcessor",
        ["ToleratedFailureCountPath"] = "tolerated failures (distributed Map) are not supported; use an inline Map with Catch in the ItemProcessor",
        ["Label"] = "Label (distributed Map) is not supported; remove it",
    };

    /// <summary>Loads <paramref name="definitionJson"/>; throws <see cref="DefinitionException"/> saying what is wrong and where.</summary>
    /// <param name="definitionJson">The definition text, placeholders included.</param>
    /// <param name="resources">The Task resources that may be used.</param>
    /// <param name="substitutions">DefinitionSubstitutions values, or null.</param>
    public static StateMachineDefinition Load(string definitionJson, TaskResourceRegistry resources, IReadOnlyDictionary<string, string>? substitutions = null)
    {
        ArgumentNullException.ThrowIfNull(definitionJson);
        ArgumentNullException.ThrowIfNull(resources);
        var text = DefinitionSubstitutions.Apply(definitionJson, substitutions);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException e)
        {
            throw new DefinitionException($"the definition is not valid JSON: {e.Message}", null, e);
        }
        if (root is not JsonObject obj)
        {
            throw new DefinitionException("the definition must be a JSON object with StartAt and States.");
        }
        foreach (var pair in obj)
        {
            if (pair.Key is not ("Comment" or "StartAt" or "States" or "Version" or "TimeoutSeconds" or "QueryLanguage"))
            {
                throw new DefinitionException($"unknown top-level field \"{pair.Key}\" (allowed: Comment, StartAt, States, Version, TimeoutSeconds, QueryLanguage).");
            }
        }
        CheckQueryLanguage(obj, "the definition");
        CheckComment(obj, "the definition");
        if (obj.ContainsKey("Version") && (!JsonValues.TryGetString(obj["Version"], out var version) || version != "1.0"))
        {
            throw new DefinitionException("\"Version\" must be \"1.0\" (the only version of the Amazon States Language).");
        }
        int? timeout = obj.ContainsKey("TimeoutSeconds") ? PositiveInt(obj, "TimeoutSeconds", "the definition", MaxTimeoutSeconds) : null;
        var loader = new Loader(resources);
        var set = loader.ParseSet(obj, "States");
        return new StateMachineDefinition(set, timeout, JsonValues.TryGetString(obj["Comment"], out var comment) ? comment : null);
    }

    private sealed class Loader(TaskResourceRegistry resources)
    {
        private static readonly string[] WaitFields = { "Seconds", "Timestamp", "SecondsPath", "TimestampPath" };
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public StateSet ParseSet(JsonObject obj, string location)
        {
            if (!JsonValues.TryGetString(obj["StartAt"], out var startAt))
            {
                throw new DefinitionException("\"StartAt\" (the name of the first state) is required.", location);
            }
            if (obj["States"] is not JsonObject states || states.Count == 0)
            {
                throw new DefinitionException("\"States\" must be a non-empty object of states.", location);
            }
            var parsed = new Dictionary<string, State>(StringComparer.Ordinal);
            foreach (var pair in states)
            {
                var name = pair.Key;
                var where = $"State \"{name}\"";
                if (name.Length == 0 || name.Length > MaxStateNameLength)
                {
                    throw new DefinitionException($"a state name must be 1 to {MaxStateNameLength} characters long.", where);
                }
                if (!_names.Add(name))
                {
                    throw new DefinitionException("the name is used twice; state names must be unique in the whole state machine, branches and Map processors included.", where);
                }
                parsed[name] = ParseState(name, pair.Value, where);
            }
            if (!parsed.ContainsKey(startAt))
            {
                throw new DefinitionException($"StartAt \"{startAt}\" is not one of the states here ({string.Join(", ", parsed.Keys)}).", location);
            }
            foreach (var state in parsed.Values)
            {
                foreach (var target in state.Targets())
                {
                    if (!parsed.ContainsKey(target))
                    {
                        throw new DefinitionException($"the transition target \"{target}\" is not a state of the same {(location == "States" ? "state machine" : "branch or processor")} (states here: {string.Join(", ", parsed.Keys)}).", $"State \"{state.Name}\"");
                    }
                }
            }
            var reached = new HashSet<string>(StringComparer.Ordinal) { startAt };
            var queue = new Queue<string>([startAt]);
            while (queue.Count > 0)
            {
                foreach (var target in parsed[queue.Dequeue()].Targets())
                {
                    if (reached.Add(target))
                    {
                        queue.Enqueue(target);
                    }
                }
            }
            var unreachable = parsed.Keys.Where(n => !reached.Contains(n)).ToList();
            if (unreachable.Count > 0)
            {
                throw new DefinitionException($"no transition leads to it from StartAt \"{startAt}\"; remove it or add a Next that reaches it.", $"State \"{unreachable[0]}\"");
            }
            return new StateSet(startAt, parsed);
        }

        private State ParseState(string name, JsonNode? node, string where)
        {
            if (node is not JsonObject obj)
            {
                throw new DefinitionException("a state must be a JSON object.", where);
            }
            if (!JsonValues.TryGetString(obj["Type"], out var type) || !AllowedFields.TryGetValue(type, out var allowed))
            {
                throw new DefinitionException($"\"Type\" must be one of {string.Join(", ", AllowedFields.Keys)}.", where);
            }
            CheckQueryLanguage(obj, where);
            CheckComment(obj, where);
            foreach (var pair in obj)
            {
                if (pair.Key == "QueryLanguage")
                {
                    continue;
                }
                if (Refused.TryGetValue(pair.Key, out var why))
                {
                    throw new DefinitionException($"\"{pair.Key}\": {why}.", where);
                }
                if (!allowed.Contains(pair.Key))
                {
                    throw new DefinitionException($"unknown field \"{pair.Key}\" for a {type} state (allowed: {string.Join(", ", allowed)}).", where);
                }
            }
            string? next = null;
            if (allowed.Contains("Next"))
            {
                next = ParseTransition(obj, where);
            }
            var (inputPath, inputFromContext) = ParseInputOutputPath(obj, "InputPath", where);
            var (outputPath, outputFromContext) = ParseInputOutputPath(obj, "OutputPath", where);
            var resultPath = ParseResultPath(obj, "ResultPath", where);
            var parameters = Template(obj, "Parameters", where);
            var selector = Template(obj, "ResultSelector", where);
            var retry = obj.ContainsKey("Retry") ? ParseRetry(obj["Retry"], where) : [];
            var catchers = obj.ContainsKey("Catch") ? ParseCatch(obj["Catch"], where) : [];

            switch (type)
            {
                case "Pass":
                    return new PassState
                    {
                        Name = name, Next = next, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext, ResultPath = resultPath,
                        Parameters = parameters, HasResult = obj.ContainsKey("Result"), StaticResult = obj["Result"]?.DeepClone(),
                    };
                case "Task":
                    return ParseTask(obj, name, where, next, inputPath, outputPath, inputFromContext, outputFromContext, resultPath, parameters, selector, retry, catchers);
                case "Choice":
                    if (obj["Choices"] is not JsonArray choices || choices.Count == 0)
                    {
                        throw new DefinitionException("\"Choices\" must be a non-empty array of Choice Rules.", where);
                    }
                    return new ChoiceState
                    {
                        Name = name, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext,
                        Choices = choices.Select((c, i) => ChoiceRuleParser.Parse(c, $"{where} Choices[{i}]", topLevel: true)).ToList(),
                        Default = obj.ContainsKey("Default") ? RequiredString(obj, "Default", where) : null,
                    };
                case "Wait":
                    return ParseWait(obj, name, where, next, inputPath, outputPath, inputFromContext, outputFromContext);
                case "Succeed":
                    return new SucceedState { Name = name, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext };
                case "Fail":
                    return ParseFail(obj, name, where);
                case "Parallel":
                    if (obj["Branches"] is not JsonArray branches || branches.Count == 0)
                    {
                        throw new DefinitionException("\"Branches\" must be a non-empty array of objects with StartAt and States.", where);
                    }
                    return new ParallelState
                    {
                        Name = name, Next = next, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext, ResultPath = resultPath,
                        Parameters = parameters, ResultSelector = selector, Retry = retry, Catch = catchers,
                        Branches = branches.Select((b, i) => b is JsonObject branch
                            ? ParseBranch(branch, $"{where} Branches[{i}]", ["StartAt", "States", "Comment"])
                            : throw new DefinitionException($"Branches[{i}] must be an object with StartAt and States.", where)).ToList(),
                    };
                default:
                    return ParseMap(obj, name, where, next, inputPath, outputPath, inputFromContext, outputFromContext, resultPath, parameters, selector, retry, catchers);
            }
        }

        private TaskState ParseTask(JsonObject obj, string name, string where, string? next, JsonPath? inputPath, JsonPath? outputPath, bool inputFromContext, bool outputFromContext,
            JsonPath? resultPath, PayloadTemplate? parameters, PayloadTemplate? selector, IReadOnlyList<Retrier> retry, IReadOnlyList<Catcher> catchers)
        {
            var resource = RequiredString(obj, "Resource", where);
            if (resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal))
            {
                throw new DefinitionException($"the callback pattern (\"{resource}\") is not supported by this interpreter: nothing could send the task token back. Use the request-response or .sync form of the integration.", where);
            }
            if (resource.Contains(":activity:", StringComparison.Ordinal))
            {
                throw new DefinitionException($"activities (\"{resource}\") are not supported by this interpreter: there are no activity workers locally.", where);
            }
            if (!resources.TryGet(resource, out var implementation))
            {
                var known = resources.Arns;
                throw new DefinitionException(
                    $"the resource \"{resource}\" is not available here; resources this interpreter runs: {(known.Count == 0 ? "none registered" : string.Join(", ", known))}.", where);
            }
            if (implementation is ITaskParametersValidator validator)
            {
                var problems = validator.Validate(obj["Parameters"]?.DeepClone());
                if (problems.Count > 0)
                {
                    throw new DefinitionException($"the Parameters for \"{resource}\" are not valid: {string.Join("; ", problems)}.", where);
                }
            }
            if (obj.ContainsKey("TimeoutSeconds") && obj.ContainsKey("TimeoutSecondsPath"))
            {
                throw new DefinitionException("give TimeoutSeconds or TimeoutSecondsPath, not both.", where);
            }
            return new TaskState
            {
                Name = name, Next = next, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext, ResultPath = resultPath,
                Parameters = parameters, ResultSelector = selector, Retry = retry, Catch = catchers, Resource = resource,
                TimeoutSeconds = obj.ContainsKey("TimeoutSeconds") ? PositiveInt(obj, "TimeoutSeconds", where, MaxTimeoutSeconds) : null,
                TimeoutSecondsPath = obj.ContainsKey("TimeoutSecondsPath") ? ReferencePath(obj, "TimeoutSecondsPath", where) : null,
            };
        }

        private static WaitState ParseWait(JsonObject obj, string name, string where, string? next, JsonPath? inputPath, JsonPath? outputPath, bool inputFromContext, bool outputFromContext)
        {
            var given = WaitFields.Where(obj.ContainsKey).ToList();
            if (given.Count != 1)
            {
                throw new DefinitionException("a Wait state takes exactly one of Seconds, Timestamp, SecondsPath, TimestampPath"
                    + (given.Count == 0 ? "." : $", not {string.Join(" and ", given)}."), where);
            }
            long? seconds = null;
            DateTimeOffset? timestamp = null;
            if (obj.ContainsKey("Seconds"))
            {
                seconds = JsonValues.TryGetInteger(obj["Seconds"], out var s) && s >= 0 && s <= MaxTimeoutSeconds ? s
                    : throw new DefinitionException($"\"Seconds\" must be an integer from 0 to {MaxTimeoutSeconds}.", where);
            }
            if (obj.ContainsKey("Timestamp"))
            {
                timestamp = JsonValues.TryGetString(obj["Timestamp"], out var t) && Timestamps.TryParse(t, out var ts) ? ts
                    : throw new DefinitionException("\"Timestamp\" must be an RFC 3339 timestamp such as \"2016-03-14T01:59:00Z\".", where);
            }
            return new WaitState
            {
                Name = name, Next = next, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext, Seconds = seconds, Timestamp = timestamp,
                SecondsPath = obj.ContainsKey("SecondsPath") ? ReferencePath(obj, "SecondsPath", where) : null,
                TimestampPath = obj.ContainsKey("TimestampPath") ? ReferencePath(obj, "TimestampPath", where) : null,
            };
        }

        private static FailState ParseFail(JsonObject obj, string name, string where)
        {
            if (obj.ContainsKey("Error") && obj.ContainsKey("ErrorPath"))
            {
                throw new DefinitionException("give Error or ErrorPath, not both.", where);
            }
            if (obj.ContainsKey("Cause") && obj.ContainsKey("CausePath"))
            {
                throw new DefinitionException("give Cause or CausePath, not both.", where);
            }
            return new FailState
            {
                Name = name,
                Error = obj.ContainsKey("Error") ? RequiredString(obj, "Error", where) : null,
                Cause = obj.ContainsKey("Cause") ? RequiredString(obj, "Cause", where) : null,
                ErrorPath = obj.ContainsKey("ErrorPath") ? Dynamic(obj, "ErrorPath", where) : null,
                CausePath = obj.ContainsKey("CausePath") ? Dynamic(obj, "CausePath", where) : null,
            };
        }

        private MapState ParseMap(JsonObject obj, string name, string where, string? next, JsonPath? inputPath, JsonPath? outputPath, bool inputFromContext, bool outputFromContext,
            JsonPath? resultPath, PayloadTemplate? parameters, PayloadTemplate? selector, IReadOnlyList<Retrier> retry, IReadOnlyList<Catcher> catchers)
        {
            if (obj.ContainsKey("ItemProcessor") == obj.ContainsKey("Iterator"))
            {
                throw new DefinitionException("a Map state needs exactly one of ItemProcessor (or the older Iterator).", where);
            }
            if (obj.ContainsKey("ItemSelector") && obj.ContainsKey("Parameters"))
            {
                throw new DefinitionException("give ItemSelector or the older Parameters, not both.", where);
            }
            if (obj.ContainsKey("MaxConcurrency") && obj.ContainsKey("MaxConcurrencyPath"))
            {
                throw new DefinitionException("give MaxConcurrency or MaxConcurrencyPath, not both.", where);
            }
            var processorField = obj.ContainsKey("ItemProcessor") ? "ItemProcessor" : "Iterator";
            if (obj[processorField] is not JsonObject processor)
            {
                throw new DefinitionException($"\"{processorField}\" must be an object with StartAt and States.", where);
            }
            if (processor["ProcessorConfig"] is { } config)
            {
                if (config is not JsonObject configObj)
                {
                    throw new DefinitionException("ProcessorConfig must be an object.", where);
                }
                foreach (var pair in configObj)
                {
                    if (pair.Key == "Mode")
                    {
                        if (!JsonValues.TryGetString(pair.Value, out var mode) || mode != "INLINE")
                        {
                            throw new DefinitionException($"ProcessorConfig.Mode {JsonValues.Serialize(pair.Value)} is not supported: only INLINE Map runs here (distributed Map needs S3 and child executions).", where);
                        }
                    }
                    else
                    {
                        throw new DefinitionException($"ProcessorConfig.{pair.Key} is not supported (only Mode: INLINE).", where);
                    }
                }
            }
            var maxConcurrency = 0;
            if (obj.ContainsKey("MaxConcurrency"))
            {
                maxConcurrency = JsonValues.TryGetInteger(obj["MaxConcurrency"], out var m) && m >= 0 && m <= int.MaxValue ? (int)m
                    : throw new DefinitionException("\"MaxConcurrency\" must be a non-negative integer (0 = no limit).", where);
            }
            return new MapState
            {
                Name = name, Next = next, InputPath = inputPath, OutputPath = outputPath, InputPathFromContext = inputFromContext, OutputPathFromContext = outputFromContext, ResultPath = resultPath,
                ItemSelector = obj.ContainsKey("ItemSelector") ? Template(obj, "ItemSelector", where) : parameters,
                ResultSelector = selector, Retry = retry, Catch = catchers,
                ItemsPath = obj.ContainsKey("ItemsPath") ? ReferencePath(obj, "ItemsPath", where) : null,
                MaxConcurrency = maxConcurrency,
                MaxConcurrencyPath = obj.ContainsKey("MaxConcurrencyPath") ? ReferencePath(obj, "MaxConcurrencyPath", where) : null,
                ItemProcessor = ParseBranch(processor, $"{where} {processorField}", ["StartAt", "States", "Comment", "ProcessorConfig"]),
            };
        }

        private StateSet ParseBranch(JsonObject obj, string where, string[] allowed)
        {
            foreach (var pair in obj)
            {
                if (!allowed.Contains(pair.Key))
                {
                    throw new DefinitionException($"unknown field \"{pair.Key}\" (allowed: {string.Join(", ", allowed)}).", where);
                }
            }
            return ParseSet(obj, where);
        }

        private static IReadOnlyList<Retrier> ParseRetry(JsonNode? node, string where)
        {
            if (node is not JsonArray array)
            {
                throw new DefinitionException("\"Retry\" must be an array of retriers.", where);
            }
            var retriers = new List<Retrier>();
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{where} Retry[{i}]";
                if (array[i] is not JsonObject r)
                {
                    throw new DefinitionException("a retrier must be an object.", at);
                }
                foreach (var pair in r)
                {
                    if (pair.Key is not ("ErrorEquals" or "IntervalSeconds" or "MaxAttempts" or "BackoffRate" or "MaxDelaySeconds" or "JitterStrategy" or "Comment"))
                    {
                        throw new DefinitionException($"unknown field \"{pair.Key}\" (allowed: ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy, Comment).", at);
                    }
                }
                var backoff = 2.0;
                if (r.ContainsKey("BackoffRate") && (!JsonValues.TryGetNumber(r["BackoffRate"], out backoff) || backoff < 1.0))
                {
                    throw new DefinitionException("\"BackoffRate\" must be a number of at least 1.0.", at);
                }
                var jitter = "NONE";
                if (r.ContainsKey("JitterStrategy") && (!JsonValues.TryGetString(r["JitterStrategy"], out jitter) || jitter is not ("FULL" or "NONE")))
                {
                    throw new DefinitionException("\"JitterStrategy\" must be \"FULL\" or \"NONE\".", at);
                }
                retriers.Add(new Retrier
                {
                    ErrorEquals = ErrorEquals(r, at, i == array.Count - 1),
                    IntervalSeconds = r.ContainsKey("IntervalSeconds") ? PositiveInt(r, "IntervalSeconds", at, MaxTimeoutSeconds) : 1,
                    MaxAttempts = r.ContainsKey("MaxAttempts")
                        ? (JsonValues.TryGetInteger(r["MaxAttempts"], out var max) && max >= 0 && max <= MaxTimeoutSeconds ? (int)max
                            : throw new DefinitionException($"\"MaxAttempts\" must be an integer from 0 to {MaxTimeoutSeconds}.", at))
                        : 3,
                    BackoffRate = backoff,
                    MaxDelaySeconds = r.ContainsKey("MaxDelaySeconds") ? PositiveInt(r, "MaxDelaySeconds", at, 31622400) : null,
                    FullJitter = jitter == "FULL",
                });
            }
            return retriers;
        }

        private static IReadOnlyList<Catcher> ParseCatch(JsonNode? node, string where)
        {
            if (node is not JsonArray array)
            {
                throw new DefinitionException("\"Catch\" must be an array of catchers.", where);
            }
            var catchers = new List<Catcher>();
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{where} Catch[{i}]";
                if (array[i] is not JsonObject c)
                {
                    throw new DefinitionException("a catcher must be an object.", at);
                }
                foreach (var pair in c)
                {
                    if (pair.Key is "Assign" or "Output")
                    {
                        throw new DefinitionException($"\"{pair.Key}\" in a catcher (variables, JSONata) is not supported; use ResultPath.", at);
                    }
                    if (pair.Key is not ("ErrorEquals" or "Next" or "ResultPath" or "Comment"))
                    {
                        throw new DefinitionException($"unknown field \"{pair.Key}\" (allowed: ErrorEquals, Next, ResultPath, Comment).", at);
                    }
                }
                catchers.Add(new Catcher
                {
                    ErrorEquals = ErrorEquals(c, at, i == array.Count - 1),
                    Next = RequiredString(c, "Next", at),
                    ResultPath = ParseResultPath(c, "ResultPath", at),
                });
            }
            return catchers;
        }

        private static IReadOnlyList<string> ErrorEquals(JsonObject obj, string at, bool isLast)
        {
            if (obj["ErrorEquals"] is not JsonArray names || names.Count == 0 || names.Any(n => !JsonValues.TryGetString(n, out _)))
            {
                throw new DefinitionException("\"ErrorEquals\" must be a non-empty array of error names.", at);
            }
            var list = names.Select(n => n!.GetValue<string>()).ToList();
            if (list.Contains(StatesErrors.All) && (list.Count > 1 || !isLast))
            {
                throw new DefinitionException("\"States.ALL\" must appear alone in its ErrorEquals, in the last retrier or catcher.", at);
            }
            return list;
        }
    }

    private static void CheckQueryLanguage(JsonObject obj, string where)
    {
        if (!obj.ContainsKey("QueryLanguage"))
        {
            return;
        }
        if (!JsonValues.TryGetString(obj["QueryLanguage"], out var language) || language != "JSONPath")
        {
            throw new DefinitionException($"QueryLanguage {JsonValues.Serialize(obj["QueryLanguage"])} is not supported: this interpreter runs JSONPath only (JSONata is not implemented). Remove QueryLanguage or set it to \"JSONPath\".", where);
        }
    }

    private static void CheckComment(JsonObject obj, string where)
    {
        if (obj.ContainsKey("Comment") && !JsonValues.TryGetString(obj["Comment"], out _))
        {
            throw new DefinitionException("\"Comment\" must be a string.", where);
        }
    }

    private static string? ParseTransition(JsonObject obj, string where)
    {
        var hasNext = obj.ContainsKey("Next");
        var hasEnd = obj.ContainsKey("End");
        if (hasNext && hasEnd)
        {
            throw new DefinitionException("give \"Next\" or \"End\": true, not both.", where);
        }
        if (hasEnd)
        {
            if (JsonValues.Kind(obj["End"]) != JsonValueKind.True)
            {
                throw new DefinitionException("\"End\" must be true when present (use \"Next\" to continue).", where);
            }
            return null;
        }
        if (!hasNext)
        {
            throw new DefinitionException("the state needs \"Next\" (the state that follows) or \"End\": true.", where);
        }
        return RequiredString(obj, "Next", where);
    }

    private static JsonPath? ParseIoPath(JsonObject obj, string field, string where)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return JsonPath.Parse("$");
        }
        if (node is null)
        {
            return null;
        }
        return ParseJsonPath(node, field, where);
    }

    /// <summary>
    /// InputPath or OutputPath: a path into the state's data, or into the context object (<c>$$</c>,
    /// <c>$$.Execution.Input</c>), which AWS runs as well.
    /// </summary>
    private static (JsonPath? Path, bool FromContext) ParseInputOutputPath(JsonObject obj, string field, string where)
    {
        if (obj.TryGetPropertyValue(field, out var node) && JsonValues.TryGetString(node, out var text) && text.StartsWith("$$", StringComparison.Ordinal))
        {
            try
            {
                return (JsonPath.Parse(text[1..]), true);
            }
            catch (FormatException e)
            {
                throw new DefinitionException($"\"{field}\": {e.Message}", where, e);
            }
        }
        return (ParseIoPath(obj, field, where), false);
    }

    private static JsonPath? ParseResultPath(JsonObject obj, string field, string where)
    {
        var path = ParseIoPath(obj, field, where);
        if (path is not null && !path.IsReferencePath)
        {
            throw new DefinitionException($"\"{field}\" must be a Reference Path (names and indexes only, no *, .., filters or slices), not \"{path.Text}\".", where);
        }
        return path;
    }

    private static JsonPath ParseJsonPath(JsonNode? node, string field, string where)
    {
        if (!JsonValues.TryGetString(node, out var text))
        {
            throw new DefinitionException($"\"{field}\" must be a path string (or null).", where);
        }
        if (text.StartsWith("$$", StringComparison.Ordinal))
        {
            throw new DefinitionException($"\"{field}\" cannot select from the context object ($$); use a Parameters field \"name.$\": \"{text}\".", where);
        }
        try
        {
            return JsonPath.Parse(text);
        }
        catch (FormatException e)
        {
            throw new DefinitionException($"\"{field}\": {e.Message}", where, e);
        }
    }

    private static PathReference ReferencePath(JsonObject obj, string field, string where)
    {
        var text = RequiredString(obj, field, where);
        PathReference path;
        try
        {
            path = PathReference.Parse(text);
        }
        catch (FormatException e)
        {
            throw new DefinitionException($"\"{field}\": {e.Message}", where, e);
        }
        if (!path.Path.IsReferencePath)
        {
            throw new DefinitionException($"\"{field}\" must be a Reference Path (names and indexes only), not \"{text}\".", where);
        }
        return path;
    }

    private static DynamicValue Dynamic(JsonObject obj, string field, string where)
    {
        var text = RequiredString(obj, field, where);
        try
        {
            return DynamicValue.Parse(text);
        }
        catch (FormatException e)
        {
            throw new DefinitionException($"\"{field}\": {e.Message}", where, e);
        }
    }

    private static PayloadTemplate? Template(JsonObject obj, string field, string where)
    {
        if (!obj.TryGetPropertyValue(field, out var node))
        {
            return null;
        }
        if (node is not JsonObject)
        {
            throw new DefinitionException($"\"{field}\" must be a JSON object (a payload template), not {JsonValues.Kind(node)}.", where);
        }
        try
        {
            return PayloadTemplate.Compile(node, field);
        }
        catch (FormatException e)
        {
            throw new DefinitionException(e.Message, where, e);
        }
    }

    private static string RequiredString(JsonObject obj, string field, string where) =>
        JsonValues.TryGetString(obj[field], out var text) && text.Length > 0
            ? text
            : throw new DefinitionException($"\"{field}\" must be a non-empty string.", where);

    private static int PositiveInt(JsonObject obj, string field, string where, int max) =>
        JsonValues.TryGetInteger(obj[field], out var value) && value >= 1 && value <= max
            ? (int)value
            : throw new DefinitionException($"\"{field}\" must be an integer from 1 to {max}.", where);
}
