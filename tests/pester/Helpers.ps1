# Shared by the suite's files (dot-sourced in BeforeAll / BeforeDiscovery).

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

# The pwsh running this suite, as a command and leading arguments: the apphost, or 'dotnet pwsh.dll' for the tool.
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

# Runs a script file as a scheduler does (pwsh -NoProfile -File), with extra environment variables; returns the
# exit code and everything it wrote (stdout and stderr).
function Invoke-ScheduledScript {
    param([string] $Path, [hashtable] $Environment = @{}, [string[]] $Arguments = @(), [string] $WorkingDirectory = $script:RepoRoot)
    $pwsh = Get-PwshCommand
    $start = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $Path) + $Arguments) { $start.ArgumentList.Add($a) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.WorkingDirectory = $WorkingDirectory
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $process = [Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    if (-not $process.WaitForExit(180000)) { $process.Kill($true); throw "$Path did not end within 3 minutes." }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout + $stderr.GetAwaiter().GetResult() }
}

# The README's ```powershell blocks, in order, each with the heading it is under (hashtables, so Pester's
# -ForEach makes $Heading and $Text variables and names the blocks by <Heading>).
function Get-ReadmePowerShellBlock {
    $lines = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'README.md')
    $heading = ''
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^#+\s+(.*)$') { $heading = $Matches[1] }
        if ($lines[$i] -eq '```powershell') {
            $body = [Collections.Generic.List[string]]::new()
            for ($i++; $lines[$i] -ne '```'; $i++) { $body.Add($lines[$i]) }
            @{ Heading = $heading; Text = ($body -join "`n") }
        }
    }
}

# A catalog with one job, 'nightly-export', that runs the sample job and exits with $ExitCode.
function New-NightlyExportCatalog {
    param([string] $Path, [int] $ExitCode = 0)
    @{ jobs = @(@{
        name = 'nightly-export'
        command = @('{localstack}', 'sample-job', '--name', 'Ref::date', '--steps', '0', '--exit-code', "$ExitCode")
        parameters = @{ date = $null }
    }) } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $Path
    $Path
}
