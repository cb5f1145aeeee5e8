using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchPs.StateMachine.Loading;
using BatchPs.StateMachine.Runtime;

namespace BatchPs.LocalStack.Cli;

/// <summary>
/// The <c>execute</c> verb: runs a definition on an input, without a trigger, and prints one JSON object —
/// <c>status</c>, <c>output</c> (SUCCEEDED) or <c>error</c> and <c>cause</c>, and <c>transitionCount</c>.
/// The host passes the resources it offers, so its verb is one line:
/// <c>return await ExecuteCommand.RunAsync(args[1..], resources, Console.Out, Console.Error, null, token);</c>
/// </summary>
public static class ExecuteCommand
{
    /// <summary>Exit code: the execution succeeded.</summary>
    public const int Succeeded = 0;

    /// <summary>Exit code: the execution failed or timed out (the JSON says how).</summary>
    public const int ExecutionFailed = 1;

    /// <summary>Exit code: bad arguments, unreadable files, or a definition refused at load time (stderr says why).</summary>
    public const int UsageError = 2;

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: execute --definition FILE [--input FILE] [--substitute Name=Value]... [--name EXECUTION_NAME]

          --definition FILE       the state machine definition (Amazon States Language, JSONPath)
          --input FILE            the execution input as JSON (default: {}); - reads standard input
          --substitute Name=Value a DefinitionSubstitutions value: replaces ${Name} in the definition (repeatable)
          --name NAME             the execution name, $$.Execution.Name (default: execute)

        Prints one JSON object: status (SUCCEEDED, FAILED, TIMED_OUT), output or error and cause, transitionCount.
        Exit code 0 when the execution succeeded, 1 when it failed or timed out, 2 for a usage or definition error.
        """;

    private static readonly JsonSerializerOptions Printing = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses <paramref name="args"/>, loads and runs the definition, prints the result.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TaskResourceRegistry resources, TextWriter stdout, TextWriter stderr,
        InterpreterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(resources);
        string? definitionFile = null;
        string? inputFile = null;
        var name = "execute";
        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return Succeeded;
            }
            if (arg is not ("--definition" or "--input" or "--substitute" or "--name"))
            {
                return await Fail(stderr, $"unknown argument '{arg}'.").ConfigureAwait(false);
            }
            if (i + 1 >= args.Count)
            {
                return await Fail(stderr, $"{arg} needs a value.").ConfigureAwait(false);
            }
            var value = args[++i];
            switch (arg)
            {
                case "--definition":
                    definitionFile = value;
                    break;
                case "--input":
                    inputFile = value;
                    break;
                case "--name":
                    name = value;
                    break;
                default:
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        return await Fail(stderr, $"--substitute takes Name=Value, not '{value}'.").ConfigureAwait(false);
                    }
                    substitutions[value[..equals]] = value[(equals + 1)..];
                    break;
            }
        }
        if (definitionFile is null)
        {
            return await Fail(stderr, "--definition FILE is required.").ConfigureAwait(false);
        }

        string definitionText;
        JsonNode? input;
        try
        {
            definitionText = await File.ReadAllTextAsync(definitionFile, cancellationToken).ConfigureAwait(false);
            var inputText = inputFile is null ? "{}"
                : inputFile == "-" ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(inputFile, cancellationToken).ConfigureAwait(false);
            input = JsonNode.Parse(inputText);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await Fail(stderr, $"cannot read a file: {e.Message}", usage: false).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return await Fail(stderr, $"the input in '{inputFile}' is not valid JSON: {e.Message}", usage: false).ConfigureAwait(false);
        }

        StateMachineInterpreter interpreter;
        try
        {
            var definition = DefinitionLoader.Load(definitionText, resources, substitutions);
            interpreter = new StateMachineInterpreter(definition, resources, options);
        }
        catch (DefinitionException e)
        {
            return await Fail(stderr, $"the definition '{definitionFile}' cannot be run: {e.Message}", usage: false).ConfigureAwait(false);
        }

        ExecutionResult result;
        try
        {
            result = await interpreter.StartAsync(name, input, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return await Fail(stderr, e.Message, usage: false).ConfigureAwait(false);
        }
        await stdout.WriteLineAsync(result.ToSummary().ToJsonString(Printing)).ConfigureAwait(false);
        return result.Status == ExecutionStatus.SUCCEEDED ? Succeeded : ExecutionFailed;
    }

    private static async Task<int> Fail(TextWriter stderr, string message, bool usage = true)
    {
        await stderr.WriteLineAsync("execute: " + message).ConfigureAwait(false);
        if (usage)
        {
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
        }
        return UsageError;
    }
}
