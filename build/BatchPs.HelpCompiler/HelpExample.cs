namespace BatchPs.HelpCompiler;

/// <summary>A <c>### title</c> entry of the EXAMPLES section: the code fence(s) and the remarks after them.</summary>
internal sealed record HelpExample(string Title, string Code, List<string> Remarks);
