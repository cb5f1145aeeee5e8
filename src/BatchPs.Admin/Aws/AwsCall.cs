using System.Net;
using BatchPs.Aws;

namespace BatchPs.Admin.Aws;

/// <summary>Turns BatchPs.Aws's and HttpClient's failures into the engine's public <see cref="AwsRequestException"/>.</summary>
internal static class AwsCall
{
    public static async Task<T> RunAsync<T>(string service, string operation, Uri endpoint, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            throw new AwsRequestException(service, ex.ErrorCode, ex.ServiceMessage, ex.StatusCode, ex.RequestId, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AwsRequestException(service, "ConnectionFailed", $"{operation} could not reach {endpoint} ({ex.Message}); check the network, the proxy (HTTPS_PROXY) and -EndpointUrl.", 0, null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsRequestException(service, "RequestTimeout", $"{operation} got no answer from {endpoint} in time, after every retry.", HttpStatusCode.RequestTimeout, null, ex);
        }
    }
}
