namespace BatchPs.LocalStack.Batch;

/// <summary>AWS Batch's ArrayProperties of SubmitJob.</summary>
internal sealed class ArrayPropertiesRequest
{
    public int? Size { get; set; }
}
