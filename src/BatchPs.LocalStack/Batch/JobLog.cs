using System.Globalization;
using System.Text;
using BatchPs.Core.Api;
using BatchPs.LocalStack.Storage;

namespace BatchPs.LocalStack.Batch;

/// <summary>
/// The format of an attempt's log file, written and read here only: one line per line the job wrote (stdout and stderr
/// interleaved by line), each prefixed with the time the runner read it, <c>2026-11-24T07:12:47.1234567Z message</c>.
/// A line longer than <see cref="MaxLineBytes"/> is cut into several. Reading pages from a byte offset with bounded
/// buffers: a page holds at most its line limit and <see cref="MaxPageBytes"/> of text, whatever the file's size.
/// </summary>
internal static class JobLog
{
    /// <summary>The longest line written; longer output is cut into lines of this size.</summary>
    public const int MaxLineBytes = 16 * 1024;

    /// <summary>The most line bytes one page reads (a page may hold fewer lines than asked).</summary>
    public const int MaxPageBytes = 1024 * 1024;

    private const int ChunkBytes = 64 * 1024;
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private static readonly int PrefixLength = TimeFormat.Length - 4 + 1; // the quotes are not written; a space follows

    /// <summary>The bytes of one line as the file holds it (prefix, text, line break).</summary>
    public static byte[] Line(DateTimeOffset time, ReadOnlySpan<byte> text)
    {
        var prefix = Encoding.ASCII.GetBytes(time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + " ");
        var line = new byte[prefix.Length + text.Length + 1];
        prefix.CopyTo(line, 0);
        text.CopyTo(line.AsSpan(prefix.Length));
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>Appends one line of the local stack's own (a note about the attempt, not the job's output) to a log file.</summary>
    public static void AppendNote(string path, DateTimeOffset time, string text)
    {
        using var file = OwnerOnly.OpenFile(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Line(time, Encoding.UTF8.GetBytes("[BatchPs local stack] " + text)));
    }

    /// <summary>
    /// Up to <paramref name="limit"/> whole lines from byte <paramref name="offset"/>, and the offset after the last one.
    /// A last line without its line break is left for the next read while <paramref name="growing"/> (the writer is
    /// still at it), else returned.
    /// </summary>
    public static (List<TriggerLogEvent> Events, long Next, bool AtEnd) ReadForward(string path, long offset, int limit, bool growing)
    {
        var events = new List<TriggerLogEvent>();
        using var file = Open(path);
        if (file is null) return (events, offset, true);
        var length = file.Length;
        if (offset > length) offset = length;
        file.Position = offset;
        var buffer = new byte[ChunkBytes];
        var carry = new MemoryStream();
        long next = offset, textBytes = 0;
        int read;
        while (events.Count < limit && textBytes < MaxPageBytes && (read = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read && events.Count < limit && textBytes < MaxPageBytes; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                carry.Write(buffer, start, i - start);
                events.Add(Parse(carry.GetBuffer().AsSpan(0, (int)carry.Length)));
                textBytes += carry.Length;
                next += carry.Length + 1;
                carry.SetLength(0);
                start = i + 1;
            }
            if (events.Count >= limit || textBytes >= MaxPageBytes) break;
            carry.Write(buffer, start, read - start);
            if (carry.Length > MaxPageBytes)
            {
                // A line longer than a page (a file not written by this runner): it is returned cut.
                events.Add(Parse(carry.GetBuffer().AsSpan(0, (int)carry.Length)));
                next += carry.Length;
                carry.SetLength(0);
                break;
            }
        }
        if (!growing && carry.Length > 0 && next + carry.Length == length && events.Count < limit)
        {
            events.Add(Parse(carry.GetBuffer().AsSpan(0, (int)carry.Length)));
            next = length;
        }
        return (events, next, next >= length);
    }

    /// <summary>The last <paramref name="limit"/> lines (at most about <see cref="MaxPageBytes"/> of them), and the offset after them.</summary>
    public static (List<TriggerLogEvent> Events, long Next) ReadTail(string path, int limit, bool growing)
    {
        long start = 0;
        using (var file = Open(path))
        {
            if (file is null) return (new List<TriggerLogEvent>(), 0);
            var end = file.Length;
            var buffer = new byte[ChunkBytes];
            long position = end, lastBreak = -1;
            var breaks = 0;
            var first = true;
            var found = false;
            // Walk back counting line breaks; the first one ends the last line (or, while growing, the last whole line).
            while (position > 0 && !found)
            {
                if (end - position >= MaxPageBytes)
                {
                    start = lastBreak >= 0 ? lastBreak + 1 : position;
                    found = true;
                    break;
                }
                var size = (int)Math.Min(buffer.Length, position);
                position -= size;
                file.Position = position;
                ReadExactly(file, buffer, size);
                for (var i = size - 1; i >= 0; i--)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    var at = position + i;
                    if (first)
                    {
                        first = false;
                        if (growing || at == end - 1) continue;
                    }
                    lastBreak = at;
                    if (++breaks == limit)
                    {
                        start = at + 1;
                        found = true;
                        break;
                    }
                }
            }
        }
        var (events, next, _) = ReadForward(path, start, limit, growing);
        return (events, next);
    }

    private static TriggerLogEvent Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.Length >= PrefixLength && line[PrefixLength - 1] == (byte)' '
            && DateTimeOffset.TryParseExact(Encoding.ASCII.GetString(line[..(PrefixLength - 1)]), TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return new TriggerLogEvent { Timestamp = time, Message = Encoding.UTF8.GetString(line[PrefixLength..]) };
        }
        // A line of a log written before lines had times: no time.
        return new TriggerLogEvent { Timestamp = default, Message = Encoding.UTF8.GetString(line) };
    }

    private static FileStream? Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void ReadExactly(Stream stream, byte[] buffer, int count)
    {
        var done = 0;
        while (done < count)
        {
            var n = stream.Read(buffer, done, count - done);
            if (n == 0) throw new EndOfStreamException();
            done += n;
        }
    }
}
