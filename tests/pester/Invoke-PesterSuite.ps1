<#
.SYNOPSIS
Runs this folder's Pester suite with a given Pester module and writes a JSON summary of the run.

.DESCRIPTION
tests/BatchPs.Pester.Tests calls it in a real pwsh with Pester 5 and with Pester 6 (both from NuGet, see
that project). By hand, after 'dotnet build' and 'dotnet tool restore':

  $env:PSModulePath = "$PWD/artifacts/module" + [IO.Path]::PathSeparator + $env:PSModulePath
  dotnet pwsh -NoProfile -File tests/pester/Invoke-PesterSuite.ps1 -PesterManifest ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1

The summary lists every failed test, block and container with its error, so a caller can name them.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [string] $ResultPath,
    [string] $Path = $PSScriptRoot
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
$pester = Get-Module Pester

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config

function Describe-Failure($item, $kind) {
    $name = if ($item.PSObject.Properties['ExpandedPath'] -and $item.ExpandedPath) { $item.ExpandedPath }
            elseif ($item.PSObject.Properties['Item']) { "$($item.Item)" } else { "$item" }
    [ordered]@{
        kind    = $kind
        name    = $name
        message = (@($item.ErrorRecord) | Where-Object { $_ } | ForEach-Object { $_.ToString() }) -join "`n"
    }
}

$failures = @(
    @($result.Failed) | Where-Object { $_ } | ForEach-Object { Describe-Failure $_ 'test' }
    @($result.FailedBlocks) | Where-Object { $_ } | ForEach-Object { Describe-Failure $_ 'block' }
    @($result.FailedContainers) | Where-Object { $_ } | ForEach-Object { Describe-Failure $_ 'container' }
)
$summary = [ordered]@{
    pesterVersion = $pester.Version.ToString()
    result        = $result.Result
    passed        = $result.PassedCount
    failed        = $result.FailedCount
    skipped       = $result.SkippedCount
    notRun        = $result.NotRunCount
    failures      = $failures
}
if ($ResultPath) { $summary | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ResultPath -Encoding utf8 }
if ($result.Result -ne 'Passed') { exit 1 }
