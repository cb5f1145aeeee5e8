namespace BatchPs.Core.Client;

/// <summary>
/// Authenticates a <see cref="BatchTriggerClient"/>'s requests in place of an API key (IAM: SigV4 for
/// <c>execute-api</c>, implemented outside this assembly).
/// </summary>
public interface IRequestSigner
{
    /// <summary>Signs the finished request (method, URL, headers, content); called for every attempt, retries included.</summary>
    Task SignAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>
    /// True when <paramref name="response"/> refused the signature because the local clock is off and the signer
    /// corrected its clock from the response: the client then signs and sends the request again at once (once).
    /// </summary>
    bool TryCorrectClock(HttpResponseMessage response);
}
