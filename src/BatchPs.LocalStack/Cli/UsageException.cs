namespace BatchPs.LocalStack.Cli;

/// <summary>A command line the program cannot run; the message says what to fix.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
