namespace BatchPs.Core.Api;

/// <summary>Size and shape limits of a trigger request, the same on both servers.</summary>
public static class Limits
{
    /// <summary>Largest accepted body: 256 KiB.</summary>
    public const int MaxBodyBytes = 256 * 1024;
    /// <summary>Longest job name.</summary>
    public const int MaxJobNameLength = 128;
    /// <summary>Longest client label.</summary>
    public const int MaxClientLength = 256;
    /// <summary>Longest idempotency key.</summary>
    public const int MaxIdempotencyKeyLength = 64;
    /// <summary>Most parameters in one trigger.</summary>
    public const int MaxParameters = 100;
    /// <summary>Longest parameter name.</summary>
    public const int MaxParameterNameLength = 128;
    /// <summary>Longest parameter value (characters).</summary>
    public const int MaxParameterValueLength = 8192;
}
