namespace BatchPs.Core.Client;

/// <summary>
/// The one check of an API key before it goes into an <c>x-api-key</c> header: surrounding whitespace (the
/// newline of a file read with <c>Get-Content -Raw</c>) is trimmed; a key with a control character, a space or a
/// non-ASCII character inside is refused, because a header cannot carry it (a CR or LF would end the headers).
/// The key itself is never put into a message.
/// </summary>
public static class ApiKeyText
{
    /// <summary>The key as sent; throws <see cref="ArgumentException"/> saying what is wrong with it.</summary>
    public static string Normalize(string? key)
    {
        var trimmed = (key ?? "").Trim();
        if (trimmed.Length == 0)
            throw new ArgumentException("The API key is empty. Pass the key the stack's administrator gave you.", nameof(key));
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c > 0x20 && c < 0x7F) continue;
            var what = c < 0x20 || c == 0x7F ? "a control character" : c == ' ' ? "a space" : "a non-ASCII character";
            throw new ArgumentException(
                $"The API key has {what} (U+{(int)c:X4}) at position {i + 1} of {trimmed.Length}, so it cannot be sent in the x-api-key header, which takes printable ASCII only. Check where the key comes from: an API key is one word of letters and digits.",
                nameof(key));
        }
        return trimmed;
    }
}
