using System.Management.Automation;
using BatchPs.Admin.Catalog;
using BatchPs.Admin.Stacks;

namespace BatchPs.PowerShell.Commands.Admin;

/// <summary>Where the cloud job catalog is: the catalog table of a stack (default BatchPs), or a table named directly.</summary>
public abstract class CatalogCommandBase : AwsCommandBase
{
    /// <summary>The stack whose catalog table is used (default BatchPs).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string StackName { get; set; } = StackNames.Default;

    /// <summary>The catalog table itself (skips the stack lookup).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TableName { get; set; }

    /// <summary>Opens the catalog engine and finds the table; writes a terminating error when either fails.</summary>
    internal (JobCatalogAdmin Admin, string Table) OpenCatalog() => OpenCatalog(EndpointUrl, TableName, StackName);
}
