namespace BatchPs.TestSupport.Interpreter;

/// <summary>
/// The conformance suite, copied next to every test assembly that references this project: each folder under
/// <c>conformance/</c> holds definition.json (its Comment cites the specification or developer guide section the
/// case comes from), input.json and expected.json (the summary the <c>execute</c> command prints).
/// </summary>
public static class Conformance
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "conformance");

    /// <summary>The case names, in order.</summary>
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }
        return data;
    }
}
