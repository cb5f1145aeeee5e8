using System.Globalization;

namespace BatchPs.Core.Client;

/// <summary>Reads an HTTP <c>Retry-After</c> header: delta seconds or an HTTP date.</summary>
public static class RetryAfter
{
    /// <summary>
    /// The delay a header value asks for (<c>"120"</c> or <c>"Wed, 21 Oct 2015 07:28:00 GMT"</c>),
    /// measured from <paramref name="now"/>; a date in the past is zero; null when absent or unreadable.
    /// </summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (value is null || value.Trim().Length == 0) return null;
        var text = value.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }
        return null;
    }
}
