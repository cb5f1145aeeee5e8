namespace BatchPs.Core.Client;

/// <summary>
/// Error codes the client gives when no server answer carries one (the server's codes are
/// <see cref="BatchPs.Core.Api.ErrorCodes"/>). Stable: scripts may switch on them.
/// </summary>
public static class ClientErrorCodes
{
    /// <summary>The server could not be reached (DNS, refused connection, TLS, proxy) even after retries.</summary>
    public const string ConnectionFailed = "ConnectionFailed";
    /// <summary>The server did not answer within the attempt timeout, even after retries.</summary>
    public const string Timeout = "Timeout";
    /// <summary>The server answered something that is not the trigger API's JSON.</summary>
    public const string InvalidResponse = "InvalidResponse";
    /// <summary>IAM mode: the credentials could not produce keys to sign a request with (expired SSO session, failed refresh).</summary>
    public const string CredentialsUnavailable = "CredentialsUnavailable";
}
