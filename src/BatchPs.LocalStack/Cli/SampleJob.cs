using System.Globalization;

namespace BatchPs.LocalStack.Cli;

/// <summary>
/// The <c>sample-job</c> command: the body of the sample catalog's jobs. Greets <c>--name</c>, prints
/// <c>--steps</c> progress lines <c>--delay-ms</c> apart, and exits with <c>--exit-code</c>.
/// </summary>
internal static class SampleJob
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string name = "world";
        int steps = 4, delayMs = 300, exitCode = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (i + 1 >= args.Count) throw new UsageException($"sample-job: option '{option}' needs a value.");
            var value = args[++i];
            switch (option)
            {
                case "--name": name = value; break;
                case "--steps": steps = Number(option, value); break;
                case "--delay-ms": delayMs = Number(option, value); break;
                case "--exit-code": exitCode = Number(option, value); break;
                default: throw new UsageException($"sample-job: unknown option '{option}'.");
            }
        }

        var job = Environment.GetEnvironmentVariable("AWS_BATCH_JOB_ID");
        var attempt = Environment.GetEnvironmentVariable("AWS_BATCH_JOB_ATTEMPT");
        Console.WriteLine($"Hello, {name}!" + (job is null ? "" : $" (job {job}, attempt {attempt})"));
        for (var step = 1; step <= steps; step++)
        {
            await Task.Delay(delayMs).ConfigureAwait(false);
            Console.WriteLine($"Step {step} of {steps} done.");
        }
        if (exitCode != 0)
            Console.Error.WriteLine($"Failing on purpose with exit code {exitCode}.");
        return exitCode;
    }

    private static int Number(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000
            ? n
            : throw new UsageException($"sample-job: {option} must be a whole number from 0 to 100000, not '{value}'.");
}
