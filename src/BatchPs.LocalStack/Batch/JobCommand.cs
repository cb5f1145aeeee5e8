namespace BatchPs.LocalStack.Batch;

/// <summary>
/// Builds a job's command line: an element <c>Ref::name</c> becomes the value of parameter
/// <c>name</c> (as AWS Batch does; an unknown reference stays as written), and a first element
/// <c>{localstack}</c> becomes the command that runs this local stack program (the dotnet host and
/// the dll), so a catalog can run the built-in <c>sample-job</c> anywhere .NET runs. A relative
/// program path (one with a folder, such as <c>./export.sh</c>) is relative to the job's working
/// folder, or to the catalog file's folder when the job has none; a bare name is looked up on PATH.
/// </summary>
internal static class JobCommand
{
    /// <summary>The placeholder for this program.</summary>
    public const string LocalStackPlaceholder = BatchPs.Core.Catalog.JobCatalogRules.LocalStackProgram;

    private const string RefPrefix = "Ref::";

    public static List<string> Resolve(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> parameters, string baseDirectory)
    {
        var result = new List<string>(command.Count + 1);
        for (var i = 0; i < command.Count; i++)
        {
            var element = command[i];
            if (i == 0 && element == LocalStackPlaceholder)
                result.AddRange(LocalStackCommand());
            else if (element.StartsWith(RefPrefix, StringComparison.Ordinal) && parameters.TryGetValue(element[RefPrefix.Length..], out var value))
                result.Add(value);
            else
                result.Add(element);
        }
        var program = result[0];
        if (!Path.IsPathRooted(program) && (program.Contains('/') || program.Contains(Path.DirectorySeparatorChar)))
            result[0] = Path.GetFullPath(program, baseDirectory);
        return result;
    }

    /// <summary>How to start this program again: the apphost, or the dotnet host and the dll.</summary>
    public static IReadOnlyList<string> LocalStackCommand()
    {
        var dll = typeof(JobCommand).Assembly.Location;
        var host = Environment.ProcessPath;
        var hostName = host is null ? "" : Path.GetFileNameWithoutExtension(host);
        if (hostName == "dotnet") return new[] { host!, dll };
        if (hostName == Path.GetFileNameWithoutExtension(dll)) return new[] { host! };
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return new[] { string.IsNullOrEmpty(dotnet) ? "dotnet" : dotnet, dll };
    }
}
