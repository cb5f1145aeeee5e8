using BatchPs.StateMachine.Paths;

namespace BatchPs.StateMachine.Model;

/// <summary>An inline Map state: runs its ItemProcessor once per item of the array at ItemsPath.</summary>
public sealed class MapState : State
{
    /// <inheritdoc />
    public override string Type => "Map";

    /// <summary>The ItemProcessor (or legacy Iterator).</summary>
    public required StateSet ItemProcessor { get; init; }

    /// <summary>MaxConcurrency; 0 means no limit.</summary>
    public int MaxConcurrency { get; init; }

    internal PathReference? MaxConcurrencyPath { get; init; }

    internal PathReference? ItemsPath { get; init; }

    internal PayloadTemplate? ItemSelector { get; init; }
}
