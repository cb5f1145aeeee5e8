namespace BatchPs.Admin.Stacks;

/// <summary>Where deployment artifacts (the Lambda zip, large templates) go: an S3 bucket.</summary>
internal interface IArtifactStore
{
    /// <summary>The bucket to use: <paramref name="bucket"/> as given, or the account's and region's own name.</summary>
    Task<string> ResolveBucketAsync(string? bucket, CancellationToken cancellationToken);
    /// <summary>Makes sure the bucket exists: creates the engine's own bucket when it is missing.</summary>
    Task EnsureBucketAsync(string bucket, bool ownBucket, CancellationToken cancellationToken);
    /// <summary>Uploads <paramref name="content"/> to <paramref name="key"/>.</summary>
    Task UploadAsync(string bucket, string key, byte[] content, CancellationToken cancellationToken);
    /// <summary>The https URL CloudFormation reads an uploaded template from.</summary>
    string UrlFor(string bucket, string key);
}
