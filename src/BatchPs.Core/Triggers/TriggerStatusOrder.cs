namespace BatchPs.Core.Triggers;

/// <summary>
/// The forward-only order of <see cref="TriggerStatus"/>. Every store (SQLite locally, DynamoDB
/// condition expressions in the cloud) applies a write only when <see cref="CanApply"/> says so, so a
/// late or replayed event never moves a record backwards.
/// </summary>
public static class TriggerStatusOrder
{
    /// <summary>The rank of a status: later statuses have higher ranks; all final statuses share the top rank.</summary>
    public static int Rank(TriggerStatus status) => status switch
    {
        TriggerStatus.RECEIVED => 0,
        TriggerStatus.STARTED => 1,
        TriggerStatus.SUBMITTED => 2,
        TriggerStatus.PENDING => 3,
        TriggerStatus.RUNNABLE => 4,
        TriggerStatus.STARTING => 5,
        TriggerStatus.RUNNING => 6,
        _ => 7,
    };

    /// <summary>The rank every final status has.</summary>
    public const int FinalRank = 7;

    /// <summary>True for SUCCEEDED, FAILED, REJECTED and CANCELLED: nothing changes a final record.</summary>
    public static bool IsFinal(TriggerStatus status) => Rank(status) == FinalRank;

    /// <summary>
    /// Whether a write of <paramref name="next"/> may be applied to a record in <paramref name="current"/>:
    /// a higher rank, or the same non-final status (to refresh details such as the RUNNABLE reason).
    /// </summary>
    public static bool CanApply(TriggerStatus current, TriggerStatus next)
    {
        if (IsFinal(current)) return false;
        var a = Rank(current);
        var b = Rank(next);
        return b > a || (b == a && current == next);
    }

    /// <summary>Parses a status name as the API writes it (upper case); null when it is not one.</summary>
    public static TriggerStatus? Parse(string? value)
    {
        if (value is null) return null;
        return Enum.TryParse<TriggerStatus>(value, ignoreCase: false, out var s) && Enum.IsDefined(typeof(TriggerStatus), s) && !IsNumeric(value)
            ? s
            : null;
    }

    /// <summary>All statuses that are final.</summary>
    public static IReadOnlyList<TriggerStatus> Final { get; } =
        new[] { TriggerStatus.SUCCEEDED, TriggerStatus.FAILED, TriggerStatus.REJECTED, TriggerStatus.CANCELLED };

    private static bool IsNumeric(string value) => value.Length > 0 && (char.IsDigit(value[0]) || value[0] == '-');
}
