using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using BatchPs.Admin.Aws;
using BatchPs.Core.Client;
using BatchPs.Core.Connections;
using BatchPs.Core.Triggers;

namespace BatchPs.PowerShell.Commands;

/// <summary>
/// The connection parameters shared by the trigger cmdlets. The endpoint comes from <c>-Endpoint</c>,
/// the pipeline (by property name), or <c>$env:BATCHPS_ENDPOINT</c>; the API key from <c>-ApiKey</c>,
/// the key last given explicitly for that endpoint in this runspace, <c>$env:BATCHPS_API_KEY</c> or a saved connection. For a stack with IAM
/// auth (<c>-Auth Iam</c>, any AWS credential parameter, IAM used last with that endpoint in this runspace, or,
/// when no key is found, a saved connection for the endpoint that records IAM auth)
/// requests are SigV4-signed for <c>execute-api</c> by the admin engine; API key calls load no AWS assembly.
/// </summary>
public abstract class BatchTriggerCommandBase : AwsCredentialCommandBase
{
    /// <summary>The environment variable naming the default endpoint.</summary>
    public const string EndpointVariable = "BATCHPS_ENDPOINT";

    /// <summary>The environment variable holding the default API key.</summary>
    public const string ApiKeyVariable = "BATCHPS_API_KEY";

    /// <summary>The environment variable naming the saved connection to fall back on (default: the one named "default").</summary>
    public const string ConnectionVariable = "BATCHPS_CONNECTION";

    private static int _nextActivityId = 1000;
    private readonly Dictionary<string, BatchTriggerClient> _iamClients = new(StringComparer.OrdinalIgnoreCase);
    private bool _retryWarned;
    private SavedConnection? _savedConnection;
    private bool _savedConnectionRead;

    /// <summary>The stack's base URL (what Start-BatchTriggerLocalStack or the deployment printed).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    [ValidateEndpoint]
    public Uri? Endpoint { get; set; }

    /// <summary>The API key: a SecureString, or a plain string (converted at once). Never displayed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>ApiKey or Iam (SigV4 with AWS credentials). Default: Iam when an AWS credential parameter is given, else ApiKey.</summary>
    [Parameter]
    public BatchTriggerAuth? Auth { get; set; }

    /// <summary>The endpoint this call uses; writes a terminating error when there is none.</summary>
    protected Uri ResolveEndpoint()
    {
        if (Endpoint is not null) return Endpoint;
        var fromEnvironment = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)) return uri;
            throw Terminate(BatchPsErrors.Create(
                new PSArgumentException($"$env:{EndpointVariable} is '{fromEnvironment}', which is not an absolute http or https URL. Set it to the stack's URL, for example http://127.0.0.1:5000."),
                "InvalidEndpoint", ErrorCategory.InvalidArgument, fromEnvironment));
        }
        if (SavedConnection() is { } saved) return saved.Endpoint;
        throw Terminate(BatchPsErrors.Create(
            new PSArgumentException($"No endpoint: pass -Endpoint, pipe in an object with an Endpoint property (Start-BatchTriggerLocalStack's output), set $env:{EndpointVariable}, or save a connection with Save-BatchTriggerConnection."),
            "EndpointMissing", ErrorCategory.InvalidArgument, null));
    }

    /// <summary>
    /// The user's saved connection (Save-BatchTriggerConnection) named by $env:BATCHPS_CONNECTION, else the one
    /// named "default"; null when there is none. A named connection that is missing, or one that cannot be read,
    /// is a terminating error.
    /// </summary>
    private SavedConnection? SavedConnection()
    {
        if (_savedConnectionRead) return _savedConnection;
        _savedConnectionRead = true;
        var chosen = NonEmpty(Environment.GetEnvironmentVariable(ConnectionVariable));
        var store = new SavedConnectionStore();
        try
        {
            _savedConnection = store.Find(chosen ?? SavedConnectionStore.DefaultName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            throw Terminate(BatchPsErrors.Create(ex, "ConnectionUnreadable", ErrorCategory.ReadError, chosen ?? SavedConnectionStore.DefaultName));
        }
        if (_savedConnection is null && chosen is not null)
        {
            throw Terminate(BatchPsErrors.Create(
                new ItemNotFoundException($"${ConnectionVariable} names the saved connection '{chosen}', which is not in {store.Folder}. Save it with Save-BatchTriggerConnection, or clear ${ConnectionVariable}."),
                "ConnectionNotFound", ErrorCategory.ObjectNotFound, chosen));
        }
        return _savedConnection;
    }

    private string? SavedKeyFor(Uri endpoint) =>
        SavedConnection() is { } saved && SameEndpoint(saved.Endpoint, endpoint) ? NonEmpty(saved.RevealApiKey()) : null;

    private static bool SameEndpoint(Uri a, Uri b) =>
        string.Equals(a.GetLeftPart(UriPartial.Path).TrimEnd('/'), b.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The client for the resolved endpoint: the session's API key client, or (IAM) a signing client owned by this
    /// call; writes a terminating error when the endpoint, the key or the AWS credentials are missing.
    /// </summary>
    protected BatchTriggerClient ResolveClient()
    {
        var endpoint = ResolveEndpoint();
        var runspaceId = System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
        if (UsesIam(endpoint, runspaceId)) return IamClient(endpoint, runspaceId);
        var explicitKey = ApiKey is not null;
        var key = explicitKey
            ? SecureText.ToPlain(ApiKey!)
            : ConnectionRegistry.LastKeyFor(runspaceId, endpoint) ?? NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)) ?? SavedKeyFor(endpoint);
        if (key is null && SavedConnection() is { AuthMode: Core.Connections.SavedConnection.IamAuthMode } saved && SameEndpoint(saved.Endpoint, endpoint))
            return IamClient(endpoint, runspaceId);
        if (key is null)
        {
            throw Terminate(BatchPsErrors.Create(
                new PSArgumentException($"No API key for {endpoint}: pass -ApiKey, pipe in Start-BatchTriggerLocalStack's output, set $env:{ApiKeyVariable}, or save a connection with Save-BatchTriggerConnection. For a stack deployed with AuthMode=IAM, pass -Auth Iam (or -ProfileName, -AccessKey/-SecretKey, -Credential)."),
                "ApiKeyMissing", ErrorCategory.AuthenticationError, endpoint));
        }
        try
        {
            key = ApiKeyText.Normalize(key);
        }
        catch (ArgumentException ex)
        {
            var source = explicitKey ? "-ApiKey" : ConnectionRegistry.LastKeyFor(runspaceId, endpoint) is not null ? "The key given earlier" : NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)) is not null ? "$env:" + ApiKeyVariable : "The saved connection's key";
            throw Terminate(BatchPsErrors.Create(new PSArgumentException($"{source}: {ex.Message}", ex), "InvalidApiKey", ErrorCategory.InvalidArgument, endpoint));
        }
        var client = ConnectionRegistry.Get(endpoint, key);
        if (explicitKey && RemembersAuth) ConnectionRegistry.RememberKey(runspaceId, endpoint, key);
        _apiKeys[client] = key;
        return client;
    }

    private readonly Dictionary<BatchTriggerClient, string> _apiKeys = new();

    /// <summary>
    /// Whether resolving a client remembers the auth for the runspace's later calls (a key given with -ApiKey, the
    /// AWS options of an IAM call). False for a tab completer, which resolves a connection for a command not yet run.
    /// </summary>
    private protected virtual bool RemembersAuth => true;

    /// <summary>
    /// The error record for a failed API call about <paramref name="target"/>. A key the server refused (403) is no
    /// longer remembered for the endpoint, so the next call reads the key's sources again.
    /// </summary>
    protected ErrorRecord ApiError(BatchTriggerException exception, object? target, BatchTriggerClient client)
    {
        if (exception.Code == Core.Api.ErrorCodes.Forbidden && _apiKeys.TryGetValue(client, out var key))
            ConnectionRegistry.ForgetKey(System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty, client.Endpoint, key);
        return BatchPsErrors.FromApi(exception, target);
    }

    /// <summary>
    /// Reports the client's retries: a verbose line for each, and one warning once they went on for a minute.
    /// Written by the pipeline thread while <see cref="BatchPsCmdlet.Run"/> waits.
    /// </summary>
    protected IProgress<TriggerRetry> Retries => new RetryReporter(this);

    private sealed class RetryReporter : IProgress<TriggerRetry>
    {
        private readonly BatchTriggerCommandBase _cmdlet;

        public RetryReporter(BatchTriggerCommandBase cmdlet) => _cmdlet = cmdlet;

        public void Report(TriggerRetry value) => _cmdlet.Post(() => _cmdlet.WriteRetry(value));
    }

    private void WriteRetry(TriggerRetry retry)
    {
        WriteVerbose(MessageText.Sentences(
            $"Attempt {retry.Attempt} failed after {retry.Elapsed.TotalSeconds:0.0} s: {retry.Failure.Message}",
            $"Retrying in {retry.Delay.TotalSeconds:0.0} s (retries go on for up to {RetryPolicy.Default.MaxTotalTime.TotalMinutes:0} minutes; Ctrl+C stops)"));
        if (!_retryWarned && retry.Elapsed >= TimeSpan.FromMinutes(1))
        {
            _retryWarned = true;
            WriteWarning(MessageText.Sentences(
                $"No answer from the trigger API for {retry.Elapsed.TotalSeconds:0} s: {retry.Failure.Message}",
                $"Still retrying, for up to {RetryPolicy.Default.MaxTotalTime.TotalMinutes:0} minutes in all; Ctrl+C stops"));
        }
    }

    private bool UsesIam(Uri endpoint, Guid runspaceId)
    {
        if (Auth == BatchTriggerAuth.ApiKey || ApiKey is not null)
        {
            if (Auth == BatchTriggerAuth.Iam || HasCredentialParameters)
            {
                throw Terminate(BatchPsErrors.Create(
                    new PSArgumentException("An API key and AWS credentials exclude each other: a stack uses one auth mode. Pass -ApiKey (or -Auth ApiKey) for an AuthMode=ApiKey stack, or -Auth Iam and AWS credential parameters (-ProfileName, -AccessKey/-SecretKey, -Credential) for an AuthMode=IAM stack."),
                    "AuthConflict", ErrorCategory.InvalidArgument, endpoint));
            }
            return false;
        }
        return Auth == BatchTriggerAuth.Iam || HasCredentialParameters || ConnectionRegistry.LastIamOptionsFor(runspaceId, endpoint) is not null;
    }

    // Its own method, so API key calls never load the admin engine or the AWS SDK.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private BatchTriggerClient IamClient(Uri endpoint, Guid runspaceId)
    {
        var options = HasCredentialParameters || Region is not null
            ? CredentialOptions()
            : ConnectionRegistry.LastIamOptionsFor(runspaceId, endpoint) as AwsConnectionOptions ?? CredentialOptions();
        var cacheKey = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + " " + options.Region;
        if (!_iamClients.TryGetValue(cacheKey, out var client))
        {
            try
            {
                var signer = new ExecuteApiSigner(options, endpoint);
                client = new BatchTriggerClient(new BatchTriggerClientOptions(endpoint, signer));
                if (CommandRuntime is not null) WriteVerbose($"AWS: {signer.ConnectionDescription}; signing requests to {endpoint.Host} for {ExecuteApiSigner.ServiceName}.");
            }
            catch (AwsCredentialException ex)
            {
                throw Terminate(BatchPsErrors.Create(ex, "AwsCredentials", ErrorCategory.AuthenticationError, endpoint));
            }
            catch (ArgumentException ex)
            {
                throw Terminate(BatchPsErrors.Create(ex, "InvalidEndpoint", ErrorCategory.InvalidArgument, endpoint));
            }
            _iamClients.Add(cacheKey, client);
        }
        if (RemembersAuth) ConnectionRegistry.RememberIam(runspaceId, endpoint, options);
        return client;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var client in _iamClients.Values) client.Dispose();
            _iamClients.Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>Writes a record (or history) with an <c>Endpoint</c> note property, so it pipes on to the next trigger cmdlet.</summary>
    protected void WriteWithEndpoint(object value, BatchTriggerClient client)
    {
        var output = PSObject.AsPSObject(value);
        output.Properties.Add(new PSNoteProperty(nameof(Endpoint), client.Endpoint));
        WriteObject(output);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// Waits for triggers (each with the client that reaches it) until each is final, or, with
    /// <paramref name="any"/>, the first is; <paramref name="timeoutSeconds"/> (-1: none) bounds the whole wait.
    /// Writes each final record as it ends (with an error record for FAILED, REJECTED and CANCELLED), one
    /// WaitTimeout error per trigger still going at the timeout, a progress bar per trigger (the job, its status
    /// and the status reason, what a RUNNABLE job waits for) under an overall one when there are several, and a
    /// verbose line per status change. Ctrl+C stops the wait at once.
    /// </summary>
    protected void WaitFor(IReadOnlyList<(BatchTriggerClient Client, string TriggerId)> triggers, int timeoutSeconds, bool any)
    {
        if (triggers.Count == 0) return;
        var timeout = timeoutSeconds < 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(timeoutSeconds);
        var parentId = triggers.Count > 1 ? Interlocked.Increment(ref _nextActivityId) : -1;
        var parentActivity = $"Waiting for {triggers.Count} triggers" + (any ? " (the first to end)" : "");
        var waits = triggers.Select(t => new TriggerWait(t.Client, new TriggerWaiter(t.Client, t.TriggerId, timeout, retries: Retries), Interlocked.Increment(ref _nextActivityId))).ToList();
        var ended = 0;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        // A list, not a dictionary by task: two polls that end at once with the same result (null at a timeout) may be one cached task.
        var polls = waits.Select(w => (Task: w.Waiter.NextAsync(stopping.Token), Wait: w)).ToList();
        try
        {
            if (parentId > 0) WriteProgress(new ProgressRecord(parentId, parentActivity, $"0 of {triggers.Count} ended") { PercentComplete = 0 });
            while (polls.Count > 0)
            {
                var done = Run(Task.WhenAny(polls.Select(p => p.Task)));
                var index = polls.FindIndex(p => p.Task == done);
                var wait = polls[index].Wait;
                polls.RemoveAt(index);
                TriggerRecord? record;
                try
                {
                    record = done.GetAwaiter().GetResult();
                }
                catch (BatchTriggerException ex)
                {
                    Complete(wait, parentId);
                    WriteError(ApiError(ex, wait.Waiter.TriggerId, wait.Client));
                    ended++;
                    continue;
                }
                if (record is null)
                {
                    Complete(wait, parentId);
                    WriteTimeout(wait.Waiter, timeoutSeconds);
                    continue;
                }
                if (record.Status != wait.LastStatus)
                {
                    WriteVerbose(MessageText.Sentences($"Trigger {record.TriggerId} (job '{record.JobName}') is {record.Status} after {Format(wait.Waiter.Elapsed)}", record.StatusReason));
                    wait.LastStatus = record.Status;
                }
                wait.Activity = $"Job '{record.JobName}'";
                wait.Description = $"{record.Status} {Format(wait.Waiter.Elapsed)}" + (string.IsNullOrEmpty(record.StatusReason) ? "" : " - " + record.StatusReason);
                WriteProgress(new ProgressRecord(wait.ActivityId, wait.Activity, wait.Description)
                {
                    ParentActivityId = parentId,
                    CurrentOperation = $"Trigger {record.TriggerId}",
                    SecondsRemaining = wait.Waiter.Remaining is { } left ? (int)Math.Ceiling(left.TotalSeconds) : -1,
                });
                if (!record.IsFinal)
                {
                    polls.Add((wait.Waiter.NextAsync(stopping.Token), wait));
                    continue;
                }
                Complete(wait, parentId);
                ended++;
                if (parentId > 0) WriteProgress(new ProgressRecord(parentId, parentActivity, $"{ended} of {triggers.Count} ended") { PercentComplete = 100 * ended / triggers.Count });
                WriteWithEndpoint(record, wait.Client);
                if (record.Status != TriggerStatus.SUCCEEDED) WriteError(BatchPsErrors.FromEnded(new TriggerEndedException(record)));
                if (any) break;
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            stopping.Cancel(); // The polls still going (-Any) end with the wait.
            if (!StopToken.IsCancellationRequested)
            {
                foreach (var wait in waits) Complete(wait, parentId);
                if (parentId > 0) WriteProgress(new ProgressRecord(parentId, parentActivity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }

    private void Complete(TriggerWait wait, int parentId)
    {
        if (wait.Completed || StopToken.IsCancellationRequested) return;
        wait.Completed = true;
        WriteProgress(new ProgressRecord(wait.ActivityId, wait.Activity, wait.Description) { ParentActivityId = parentId, RecordType = ProgressRecordType.Completed });
    }

    private void WriteTimeout(TriggerWaiter waiter, int timeoutSeconds)
    {
        var last = waiter.Last;
        var message = MessageText.Sentences(
            $"Trigger {waiter.TriggerId} did not finish within {timeoutSeconds} s; it is still {last?.Status.ToString() ?? "unknown"}" + (last?.StatusReason is { } reason ? $" ({reason.TrimEnd('.')})" : ""),
            "It goes on running: wait again with Wait-BatchTrigger, or raise -Timeout.");
        WriteError(BatchPsErrors.Create(new TimeoutException(message), "WaitTimeout", ErrorCategory.OperationTimeout, (object?)last ?? waiter.TriggerId));
    }

    private static string Format(TimeSpan elapsed) => elapsed.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class TriggerWait
    {
        public TriggerWait(BatchTriggerClient client, TriggerWaiter waiter, int activityId)
        {
            Client = client;
            Waiter = waiter;
            ActivityId = activityId;
            Activity = $"Trigger {waiter.TriggerId}";
        }

        public BatchTriggerClient Client { get; }
        public TriggerWaiter Waiter { get; }
        public int ActivityId { get; }
        public string Activity { get; set; }
        public string Description { get; set; } = "Reading status";
        public TriggerStatus? LastStatus { get; set; }
        public bool Completed { get; set; }
    }
}
