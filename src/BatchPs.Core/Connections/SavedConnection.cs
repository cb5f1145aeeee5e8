namespace BatchPs.Core.Connections;

/// <summary>
/// An endpoint and API key saved for the current user, so on-prem callers never type or log the key; or, for a
/// stack deployed with <c>AuthMode=IAM</c>, an endpoint whose callers sign their requests (no key).
/// The key is deliberately not a property: formatting, <c>ConvertTo-Json</c>, <c>Export-Clixml</c> and
/// transcripts show only that there is one. Callers that send requests ask for it with <see cref="RevealApiKey"/>.
/// </summary>
public sealed class SavedConnection
{
    /// <summary>The <see cref="AuthMode"/> of a stack whose callers sign requests with SigV4 (the stack's AuthMode output).</summary>
    public const string IamAuthMode = "IAM";
    /// <summary>The <see cref="AuthMode"/> of a stack whose callers send an API key.</summary>
    public const string ApiKeyAuthMode = "ApiKey";

    private readonly string? _apiKey;

    /// <summary>Creates a connection; <paramref name="authMode"/> is <c>ApiKey</c> (the default) or <c>IAM</c>, as the stack's AuthMode output.</summary>
    public SavedConnection(string name, Uri endpoint, string? apiKey, string? source, DateTime savedAt, string? protection = null, string? authMode = null)
    {
        AuthMode = authMode is null || string.Equals(authMode, ApiKeyAuthMode, StringComparison.OrdinalIgnoreCase) ? ApiKeyAuthMode
            : string.Equals(authMode, IamAuthMode, StringComparison.OrdinalIgnoreCase) ? IamAuthMode
            : throw new ArgumentException($"Auth mode '{authMode}' is neither {ApiKeyAuthMode} nor {IamAuthMode}.", nameof(authMode));
        if (AuthMode == IamAuthMode && !string.IsNullOrEmpty(apiKey))
            throw new ArgumentException("A connection with IAM auth has no API key: its callers sign their requests with AWS credentials.", nameof(apiKey));
        Name = name;
        Endpoint = endpoint;
        _apiKey = apiKey;
        Source = source;
        SavedAt = savedAt;
        Protection = protection;
    }

    /// <summary>The connection's name (<c>default</c> unless given).</summary>
    public string Name { get; }
    /// <summary>The trigger API's base URL.</summary>
    public Uri Endpoint { get; }
    /// <summary><c>ApiKey</c>, or <c>IAM</c> when callers sign their requests (SigV4, service execute-api) instead of sending a key.</summary>
    public string AuthMode { get; }
    /// <summary>True when an API key is saved with the endpoint.</summary>
    public bool HasApiKey => !string.IsNullOrEmpty(_apiKey);
    /// <summary>Where it came from (e.g. <c>stack BatchPs in eu-west-1</c>).</summary>
    public string? Source { get; }
    /// <summary>When it was saved (UTC).</summary>
    public DateTime SavedAt { get; }
    /// <summary>How the key is protected at rest (<c>DPAPI (current user)</c> or <c>file mode 0600</c>).</summary>
    public string? Protection { get; }

    /// <summary>The API key, for the one place that sets the <c>x-api-key</c> header.</summary>
    public string? RevealApiKey() => _apiKey;

    /// <summary>Name and endpoint; never the key.</summary>
    public override string ToString() => $"{Name} -> {Endpoint}";
}
