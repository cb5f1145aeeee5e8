using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BatchPs.Admin.Aws;

namespace BatchPs.Admin.Stacks;

/// <summary>
/// Deployment artifacts in S3 (AWSSDK.S3). Without a bucket from the admin, uses
/// <c>batchps-artifacts-{account}-{region}</c>, created on first use and reused; calls on that bucket
/// name the expected owner, so a bucket of that name in another account is never written to.
/// </summary>
internal sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    private readonly AwsSession _session;
    private readonly AmazonS3Client _s3;
    private string? _accountId;

    public S3ArtifactStore(AwsSession session, RetrySettings retry)
    {
        _session = session;
        var config = session.Configure(new AmazonS3Config
        {
            ForcePathStyle = session.EndpointUrl is not null,
            MaxErrorRetry = retry.MaxAttempts - 1,
            Timeout = retry.AttemptTimeout,
            // Checksums only where S3 requires them: plain signed bodies, understood by every S3-compatible endpoint.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        _s3 = new AmazonS3Client(session.Credentials, config);
    }

    public async Task<string> ResolveBucketAsync(string? bucket, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(bucket)) return bucket!;
        var account = await AccountIdAsync(cancellationToken).ConfigureAwait(false);
        return $"batchps-artifacts-{account}-{_session.Region.SystemName}";
    }

    public async Task EnsureBucketAsync(string bucket, bool ownBucket, CancellationToken cancellationToken)
    {
        var owner = ownBucket ? await AccountIdAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket, ExpectedBucketOwner = owner }, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ownBucket)
        {
            // Missing: created below.
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new AwsRequestException("s3", "NoSuchBucket", $"Bucket '{bucket}' (-ArtifactBucket) does not exist; create it, or leave out -ArtifactBucket to use one BatchPs creates.", ex.StatusCode, ex.RequestId, ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new AwsRequestException("s3", "AccessDenied", ownBucket
                ? $"Bucket '{bucket}' exists but this account cannot use it (another account owns it, or s3:ListBucket is denied). Pass -ArtifactBucket with a bucket of yours."
                : $"Bucket '{bucket}' cannot be used with these credentials (s3:ListBucket / s3:PutObject denied, or another account owns it).", ex.StatusCode, ex.RequestId, ex);
        }

        var create = new PutBucketRequest { BucketName = bucket };
        if (_session.Region.SystemName != "us-east-1")
            create.BucketRegion = S3Region.FindValue(_session.Region.SystemName);
        try
        {
            await _s3.PutBucketAsync(create, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            // Created concurrently by another deployment: fine.
        }
    }

    public async Task UploadAsync(string bucket, string key, byte[] content, CancellationToken cancellationToken)
    {
        var ownBucket = bucket == await ResolveOwnBucketNameAsync(cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream(content, writable: false);
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = stream,
            UseChunkEncoding = false,
            ExpectedBucketOwner = ownBucket ? _accountId : null,
        }, cancellationToken).ConfigureAwait(false);
    }

    public string UrlFor(string bucket, string key)
    {
        if (_session.EndpointUrl is { } endpoint)
            return new Uri(endpoint, $"{bucket}/{key}").ToString();
        var suffix = _session.Region.SystemName.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return $"https://{bucket}.s3.{_session.Region.SystemName}.{suffix}/{key}";
    }

    private async Task<string?> ResolveOwnBucketNameAsync(CancellationToken cancellationToken) =>
        _accountId is null ? null : await ResolveBucketAsync(null, cancellationToken).ConfigureAwait(false);

    private async Task<string> AccountIdAsync(CancellationToken cancellationToken)
    {
        if (_accountId is not null) return _accountId;
        using var sts = new AmazonSecurityTokenServiceClient(_session.Credentials, _session.Configure(new AmazonSecurityTokenServiceConfig()));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
        return _accountId = identity.Account;
    }

    public void Dispose() => _s3.Dispose();
}
