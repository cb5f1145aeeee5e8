using Amazon;
using Amazon.Runtime;
using BatchPs.Aws.Batch;
using BatchPs.TestSupport.Aws;

namespace BatchPs.Aws.Tests;

/// <summary>DescribeJobs against a loopback AWS Batch that checks the signature and answers as the API reference says.</summary>
public sealed class BatchClientTests : IAsyncLifetime
{
    private FakeBatch _server = null!;

    public async Task InitializeAsync() => _server = await FakeBatch.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BatchClient Client(string secret = FakeBatch.SecretKey) =>
        new(new AwsClientSettings(RegionEndpoint.GetBySystemName(FakeBatch.Region), new BasicAWSCredentials(FakeBatch.AccessKey, secret))
        {
            ServiceUrl = _server.Endpoint,
            MaxAttempts = 1,
        });

    [Fact]
    public async Task DescribeJobs_reads_each_attempts_stream_and_leaves_out_ids_batch_does_not_know()
    {
        _server.AddJob("j1", "RUNNING", new[] { "hello/default/a1", "hello/default/a2" }, "hello/default/a3");
        using var client = Client();

        var jobs = await client.DescribeJobsAsync(new[] { "j1", "gone" }, CancellationToken.None);

        var job = Assert.Single(jobs);
        Assert.Empty(_server.Rejections);
        Assert.Equal(new[] { "j1", "gone" }, Assert.Single(_server.Calls));
        Assert.Equal(3, job.Attempts);
        Assert.Equal(new[] { "hello/default/a1", "hello/default/a2", "hello/default/a3" }, Enumerable.Range(1, 3).Select(job.LogStream));
    }

    [Fact]
    public async Task DescribeJobs_of_an_array_reads_the_parents_size_and_a_childs_index()
    {
        _server.AddJob("p", "RUNNING", Array.Empty<string>(), null, arraySize: 4);
        _server.SetChild("p", 3, "SUCCEEDED", new[] { "hello/default/c3" }, "hello/default/c3");
        using var client = Client();

        var jobs = await client.DescribeJobsAsync(new[] { "p", "p:3" }, CancellationToken.None);

        Assert.Equal(4, jobs.Single(j => j.JobId == "p").ArraySize);
        var child = jobs.Single(j => j.JobId == "p:3");
        Assert.Equal(3, child.ArrayIndex);
        Assert.Equal(1, child.Attempts);
        Assert.Equal("hello/default/c3", child.LogStream(1));
    }

    [Fact]
    public async Task A_wrong_secret_is_the_services_signature_error()
    {
        using var client = Client("wrong");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.DescribeJobsAsync(new[] { "j1" }, CancellationToken.None));

        Assert.Equal("InvalidSignatureException", error.ErrorCode);
        Assert.Single(_server.Rejections);
    }
}
