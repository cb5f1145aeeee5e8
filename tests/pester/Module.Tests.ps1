# The module as an installed one: found and imported by name, help for every cmdlet, tab completion.
BeforeDiscovery {
    Import-Module BatchPs -Force
    $script:cmdlets = @(Get-Command -Module BatchPs -CommandType Cmdlet | ForEach-Object Name)
}

BeforeAll {
    . $PSScriptRoot/Helpers.ps1
    Import-Module BatchPs -Force
}

Describe 'Import by name' {
    It 'is found on PSModulePath and imports with no warning' {
        Get-Module -ListAvailable BatchPs | Should -Not -BeNullOrEmpty
        Remove-Module BatchPs -Force
        Import-Module BatchPs -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        (Get-Module BatchPs).Version | Should -Be ([version]'0.1.0')
    }

    It 'runs #Requires -Modules BatchPs in a script' {
        $script = Join-Path $TestDrive 'requires.ps1'
        Set-Content $script "#Requires -Modules BatchPs`n(Get-Command Send-BatchTrigger).ModuleName"
        $run = Invoke-ScheduledScript -Path $script
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output.Trim() | Should -Be 'BatchPs'
    }
}

Describe 'Get-Help <_>' -ForEach $cmdlets {
    It 'has a synopsis, a description and at least two examples' {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '\[<CommonParameters>\]'
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'documents exactly the parameters the cmdlet has (-WhatIf and -Confirm included), each with a description' {
        $command = Get-Command $_
        $actual = @($command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters } | Sort-Object)
        $help = Get-Help $_ -Full
        $documented = @($help.parameters.parameter | ForEach-Object name | Sort-Object)
        $documented | Should -Be $actual
        foreach ($p in $help.parameters.parameter) { ($p.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.name) needs a description" }
    }
}

Describe 'Tab completion (TabExpansion2)' {
    It 'completes the cmdlet names' {
        $line = 'Send-BatchTr'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Send-BatchTrigger'
        $line = 'Wait-Batch'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Wait-BatchTrigger'
    }

    It 'completes parameter names' {
        $line = 'Send-BatchTrigger -Idem'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be '-IdempotencyKey'
        $line = 'Wait-BatchTrigger -Tim'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be '-Timeout'
    }

    It 'completes the values of -Auth' {
        $line = 'Get-BatchTriggerStatus -Auth '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('ApiKey', 'Iam')
    }
}
