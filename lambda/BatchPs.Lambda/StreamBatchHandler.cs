using System.Collections.Concurrent;
using System.Text.Json;
using BatchPs.Core.Triggers;
using BatchPs.Core.Workflow;

namespace BatchPs.Lambda;

/// <summary>
/// Handles one DynamoDB stream batch: every INSERT goes to Core's <see cref="TriggerHandler"/>; a MODIFY whose new
/// image is CANCELLED (the cancel route's write) goes to <see cref="CancelledTriggerHandler"/>, which stops the
/// execution (other MODIFYs are the stack's own status writes and REMOVEs TTL deletes: skipped). A record that
/// cannot be read or handled is reported in <c>batchItemFailures</c> by its sequence number, so
/// Lambda retries from it (and, with bisecting and bounded retries, parks it on the on-failure queue)
/// while the rest of the batch counts as done. Records are independent triggers, handled a few at a time.
/// </summary>
public sealed class StreamBatchHandler
{
    private static readonly JsonSerializerOptions LogOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TriggerHandler _handler;
    private readonly CancelledTriggerHandler? _cancels;
    private readonly TextWriter _log;
    private readonly int _parallelism;

    /// <summary>Creates the handler.</summary>
    public StreamBatchHandler(TriggerHandler handler, TextWriter log, int parallelism = 8, CancelledTriggerHandler? cancels = null)
    {
        _handler = handler;
        _cancels = cancels;
        _log = log;
        _parallelism = Math.Max(1, parallelism);
    }

    /// <summary>Handles the <c>Records</c> of a stream event; returns the sequence numbers that failed.</summary>
    public async Task<IReadOnlyList<string>> HandleAsync(JsonElement records, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentBag<(int Index, string Sequence)>();
        using var gate = new SemaphoreSlim(_parallelism);
        var tasks = new List<Task>();
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            var position = index++;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var problem = await HandleRecordAsync(record, cancellationToken).ConfigureAwait(false);
                    if (problem is not null) failures.Add((position, problem));
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return failures.OrderBy(f => f.Index).Select(f => f.Sequence).ToList();
    }

    /// <summary>Handles one record; returns its sequence number when it failed, else null.</summary>
    private async Task<string?> HandleRecordAsync(JsonElement record, CancellationToken cancellationToken)
    {
        var sequence = SequenceNumber(record);
        try
        {
            var eventName = record.TryGetProperty("eventName", out var name) ? name.GetString() : null;
            if (eventName is not ("INSERT" or "MODIFY")) return null;
            if (eventName == "MODIFY" && (_cancels is null || !IsCancelled(record))) return null;
            if (sequence is null) throw new FormatException("The record has no dynamodb.SequenceNumber.");
            if (!record.GetProperty("dynamodb").TryGetProperty("NewImage", out var image))
                throw new FormatException($"The {eventName} record has no NewImage: the table's stream must be NEW_IMAGE or NEW_AND_OLD_IMAGES.");
            var trigger = TriggerItem.ToRecord(image);
            if (eventName == "MODIFY")
            {
                var stopped = await _cancels!.HandleAsync(trigger, cancellationToken).ConfigureAwait(false);
                Log("cancelled", sequence, trigger.TriggerId, stopped ? "execution stopped" : "no execution to stop");
                return null;
            }
            var outcome = await _handler.HandleAsync(trigger, cancellationToken).ConfigureAwait(false);
            Log("handled", sequence, trigger.TriggerId, outcome.ToString());
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log("failed", sequence, null, $"{ex.GetType().Name}: {ex.Message}");
            // A record without a sequence number cannot be reported alone: an empty identifier fails the whole batch, as Lambda documents.
            return sequence ?? "";
        }
    }

    /// <summary>True for a MODIFY whose new image's status is CANCELLED (what the event source filter passes besides INSERTs).</summary>
    private static bool IsCancelled(JsonElement record) =>
        record.TryGetProperty("dynamodb", out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty("NewImage", out var image) && image.ValueKind == JsonValueKind.Object
        && image.TryGetProperty(TriggerItem.Status, out var status) && status.ValueKind == JsonValueKind.Object
        && status.TryGetProperty("S", out var name) && name.ValueKind == JsonValueKind.String
        && name.GetString() == nameof(TriggerStatus.CANCELLED);

    private static string? SequenceNumber(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("dynamodb", out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty("SequenceNumber", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

    private void Log(string what, string? sequence, string? triggerId, string detail)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, string?> { ["event"] = what, ["sequenceNumber"] = sequence, ["triggerId"] = triggerId, ["detail"] = detail }, LogOptions);
        lock (_log) _log.WriteLine(line);
    }
}
