using System.Security.Cryptography;
using System.Text;

namespace BatchPs.LocalStack.Http;

/// <summary>Checks the <c>x-api-key</c> header in constant time (SHA-256 of both sides, compared with <see cref="CryptographicOperations.FixedTimeEquals"/>).</summary>
internal sealed class ApiKeyCheck
{
    /// <summary>The header API Gateway reads the key from.</summary>
    public const string HeaderName = "x-api-key";

    private readonly byte[] _expected;

    public ApiKeyCheck(string apiKey)
    {
        if (string.IsNullOrEmpty(apiKey)) throw new ArgumentException("The API key is empty.", nameof(apiKey));
        _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
    }

    /// <summary>True when <paramref name="given"/> is the key.</summary>
    public bool IsValid(string? given)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(given ?? ""), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _expected) && !string.IsNullOrEmpty(given);
    }
}
