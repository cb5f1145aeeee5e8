using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>One element of a Catch field (states-language.net "Fallback states").</summary>
public sealed class Catcher
{
    private static readonly JsonPath RootPath = JsonPath.Parse("$");

    /// <summary>Error names this catcher matches.</summary>
    public required IReadOnlyList<string> ErrorEquals { get; init; }

    /// <summary>The state to go to.</summary>
    public required string Next { get; init; }

    /// <summary>Where the error output goes in the state's input; null to discard it (default <c>$</c>).</summary>
    public JsonPath? ResultPath { get; init; } = RootPath;
}
