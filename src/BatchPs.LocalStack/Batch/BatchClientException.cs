namespace BatchPs.LocalStack.Batch;

/// <summary>A SubmitJob request the local Batch refuses (AWS Batch's ClientException): the message says why and how to fix it.</summary>
internal sealed class BatchClientException : Exception
{
    public BatchClientException(string message) : base(message) { }
}
