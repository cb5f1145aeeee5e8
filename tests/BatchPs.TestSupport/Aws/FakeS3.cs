using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace BatchPs.TestSupport.Aws;

/// <summary>S3's HeadBucket, CreateBucket and PutObject, path-style, as the S3 API reference describes them.</summary>
public sealed class FakeS3
{
    public ConcurrentDictionary<string, string?> Buckets { get; } = new();
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new();
    /// <summary>Buckets that exist but belong to another account.</summary>
    public HashSet<string> ForeignBuckets { get; } = new();

    public async Task HandleAsync(HttpContext context, byte[] body)
    {
        var segments = context.Request.Path.Value!.Trim('/').Split('/', 2);
        var bucket = segments[0];
        var key = segments.Length > 1 ? segments[1] : null;
        var expectedOwner = context.Request.Headers["x-amz-expected-bucket-owner"].ToString();
        if (ForeignBuckets.Contains(bucket) || (expectedOwner.Length > 0 && expectedOwner != FakeAws.Account && Buckets.ContainsKey(bucket)))
        {
            await Error(context, 403, "AccessDenied", "Access Denied");
            return;
        }
        switch (context.Request.Method, key)
        {
            case ("HEAD", null):
                context.Response.StatusCode = Buckets.ContainsKey(bucket) ? 200 : 404;
                return;
            case ("PUT", null):
                if (Buckets.ContainsKey(bucket))
                {
                    await Error(context, 409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
                    return;
                }
                var location = body.Length == 0 ? null : XDocument.Parse(System.Text.Encoding.UTF8.GetString(body)).Descendants().FirstOrDefault(e => e.Name.LocalName == "LocationConstraint")?.Value;
                Buckets[bucket] = location;
                context.Response.Headers.Location = "/" + bucket;
                context.Response.StatusCode = 200;
                return;
            case ("PUT", _):
                if (!Buckets.ContainsKey(bucket))
                {
                    await Error(context, 404, "NoSuchBucket", "The specified bucket does not exist");
                    return;
                }
                Objects[$"{bucket}/{key}"] = body;
                // S3's ETag of a single-part upload is the MD5 of the body (the S3 API reference): a checksum, not security.
#pragma warning disable CA5351
                context.Response.Headers.ETag = "\"" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(body)).ToLowerInvariant() + "\"";
#pragma warning restore CA5351
                context.Response.StatusCode = 200;
                return;
            default:
                await Error(context, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
                return;
        }
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        FakeAws.Write(context, status, "application/xml",
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>s3-req</RequestId><HostId>host</HostId></Error>");
}
