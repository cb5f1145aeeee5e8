# Every PowerShell snippet of the README, as written.
BeforeDiscovery {
    . $PSScriptRoot/Helpers.ps1
    $script:blocks = @(Get-ReadmePowerShellBlock)
}

BeforeAll {
    . $PSScriptRoot/Helpers.ps1
    Import-Module BatchPs -Force
    $script:blocks = @(Get-ReadmePowerShellBlock)
    function Get-Block([string] $Heading) {
        $found = @($script:blocks | Where-Object { $_.Heading -eq $Heading })
        $found.Count | Should -Be 1 -Because "the README has one PowerShell block under '$Heading'"
        $found[0].Text
    }
}

Describe 'The README block under "<Heading>"' -ForEach $blocks {
    It 'parses, and names only parameters its BatchPs and PowerShell commands have' {
        $Text | Should -Not -BeNullOrEmpty
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        foreach ($commandAst in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $name = $commandAst.GetCommandName()
            $command = Get-Command $name -CommandType Cmdlet, Function -ErrorAction SilentlyContinue
            if (-not $command) { continue } # dotnet, a tool of the reader's machine
            foreach ($parameter in $commandAst.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                { $command.ResolveParameter($parameter.ParameterName) } | Should -Not -Throw -Because "$name has no -$($parameter.ParameterName)"
            }
        }
    }
}

Describe 'README: Import the built module in pwsh' {
    It 'runs as written from the repository root: the hello job SUCCEEDED and the stack stopped' {
        $script = Join-Path $TestDrive 'import.ps1'
        Set-Content -LiteralPath $script -Value ("`$ErrorActionPreference = 'Stop'`n" + (Get-Block 'Import the built module in pwsh'))
        $run = Invoke-ScheduledScript -Path $script -WorkingDirectory $RepoRoot
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'SUCCEEDED'
        $run.Output | Should -Match 'about_BatchPs'
    }
}

Describe 'README: Find, follow and cancel triggers' {
    It 'runs as written: the log followed to its end, a cancelled trigger, the newest two listed' {
        $script = Join-Path $TestDrive 'life.ps1'
        Set-Content -LiteralPath $script -Value ("`$ErrorActionPreference = 'Stop'`n" + (Get-Block 'Find, follow and cancel triggers') + "`n'done'")
        $run = Invoke-ScheduledScript -Path $script -WorkingDirectory $RepoRoot
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'Greets .name.'
        $run.Output | Should -Match 'Hello, world!'
        $plain = $run.Output -replace '\e\[[0-9;]*m', '' # the list view's colours
        $plain | Should -Match 'Status +: CANCELLED\s+StatusReason +: Sent by mistake'
        $run.Output | Should -Match 'done'
    }
}

Describe 'README: the on-premises script, run by a scheduler as pwsh -NoProfile -File' {
    BeforeAll {
        $script:path = Join-Path $TestDrive 'nightly-export.ps1'
        Set-Content -LiteralPath $path -Value (Get-Block 'An on-premises script (Task Scheduler, SQL Agent, Control-M)')
        function Invoke-Nightly([int] $JobExitCode, [switch] $WrongKey) {
            $catalog = New-NightlyExportCatalog -Path (Join-Path $TestDrive "catalog-$JobExitCode.json") -ExitCode $JobExitCode
            $stack = Start-BatchTriggerLocalStack -CatalogPath $catalog
            try {
                $key = if ($WrongKey) { 'not-the-key' } else { [Net.NetworkCredential]::new('', $stack.ApiKey).Password }
                Invoke-ScheduledScript -Path $path -Environment @{ BATCHPS_ENDPOINT = $stack.Endpoint; BATCHPS_API_KEY = $key }
            }
            finally { $stack | Stop-BatchTriggerLocalStack }
        }
    }

    It 'ends with exit code 0 when the job SUCCEEDED' {
        $run = Invoke-Nightly -JobExitCode 0
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'Export finished: SUCCEEDED, log at '
    }

    It "ends with the job's own exit code when the job FAILED, and says why" {
        $run = Invoke-Nightly -JobExitCode 4
        $run.ExitCode | Should -Be 4 -Because $run.Output
        $run.Output | Should -Match "job 'nightly-export'\) ended FAILED"
    }

    It 'ends with exit code 1 when the trigger is refused (a wrong API key)' {
        $run = Invoke-Nightly -JobExitCode 0 -WrongKey
        $run.ExitCode | Should -Be 1 -Because $run.Output
        $run.Output | Should -Match 'API key'
    }

    It 'ends with a non-zero exit code when the job FAILED, even without the catch' {
        $bare = Join-Path $TestDrive 'bare.ps1'
        Set-Content -LiteralPath $bare -Value ((Get-Content -LiteralPath $path -Raw) -replace '(?s)try \{(.*)\}\s*catch \{.*\}\s*$', '$1')
        (Get-Content $bare -Raw) | Should -Not -Match 'catch'
        $catalog = New-NightlyExportCatalog -Path (Join-Path $TestDrive 'catalog-bare.json') -ExitCode 5
        $stack = Start-BatchTriggerLocalStack -CatalogPath $catalog
        try {
            $run = Invoke-ScheduledScript -Path $bare -Environment @{ BATCHPS_ENDPOINT = $stack.Endpoint; BATCHPS_API_KEY = [Net.NetworkCredential]::new('', $stack.ApiKey).Password }
        }
        finally { $stack | Stop-BatchTriggerLocalStack }
        $run.ExitCode | Should -Be 1 -Because $run.Output
    }
}

Describe 'README: A Pester test' {
    It 'is tests/pester/NightlyExport.Tests.ps1 word for word (which this suite runs)' {
        $file = (Get-Content -LiteralPath (Join-Path $PSScriptRoot 'NightlyExport.Tests.ps1') -Raw).Trim() -replace "`r", ''
        (Get-Block 'A Pester test') | Should -BeExactly $file
    }
}
