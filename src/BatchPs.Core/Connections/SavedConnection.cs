namespace BatchPs.Connections;

/// <summary>
/// An endpoint and API key saved for the current user, so on-prem callers never type or log the key.
/// The key is deliberately not a property: formatting, <c>ConvertTo-Json</c>, <c>Export-Clixml</c> and
/// transcripts show only that there is one. Callers that send requests ask for it with <see cref="RevealApiKey"/>.
/// </summary>
public sealed class SavedConnection
{
    private readonly string? _apiKey;

    /// <summary>Creates a connection.</summary>
    public SavedConnection(string name, Uri endpoint, string? apiKey, string? source, DateTime savedAt, string? protection = null)
    {
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
