namespace BatchPs.Admin.Aws;

/// <summary>No usable credentials or region were found, or the ones named do not exist.</summary>
public sealed class AwsCredentialException : Exception
{
    /// <summary>Creates the exception; the message says what was looked for and how to fix it.</summary>
    public AwsCredentialException(string message, Exception? inner = null) : base(message, inner) { }
}
