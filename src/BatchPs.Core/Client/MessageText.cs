namespace BatchPs.Core.Client;

/// <summary>
/// Joins message parts into sentences said once: each part trimmed, ended with one full stop unless it already
/// ends a sentence, empty parts dropped. So a reason that ends with a full stop (or a bracket after one) is
/// never followed by a second.
/// </summary>
public static class MessageText
{
    /// <summary>The parts as sentences separated by one space.</summary>
    public static string Sentences(params string?[] parts) =>
        string.Join(" ", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Sentence(p!)));

    /// <summary>One part ended with a full stop unless it already ends a sentence.</summary>
    public static string Sentence(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return trimmed;
        var last = trimmed[trimmed.Length - 1];
        if (last is '.' or '!' or '?' or ':') return trimmed;
        // "(process 1801)." and "'a.'" already end a sentence inside the bracket or quote.
        if (last is ')' or '"' or '\'' && trimmed.Length > 1 && trimmed[trimmed.Length - 2] is '.' or '!' or '?') return trimmed;
        return trimmed + ".";
    }
}
