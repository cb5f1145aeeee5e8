#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# An example for users: Pester 5 tests of a script's jobs against a private BatchPs local stack.
# Run with: Invoke-Pester ./tests/pester/BatchPs.Tests.ps1
# It imports the module built by 'dotnet build' (artifacts/module/BatchPs); an installed module works the same
# with 'Import-Module BatchPs'. Not run by the repository's CI (Pester is not installable there).

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../artifacts/module/BatchPs/BatchPs.psd1'
    Import-Module $manifest -Force
    # The sample catalog, a free loopback port, a fresh data folder and a random API key.
    $script:stack = Start-BatchTriggerLocalStack
}

AfterAll {
    $script:stack | Stop-BatchTriggerLocalStack
}

Describe 'The hello job' {
    It 'runs to SUCCEEDED and greets by name' {
        $final = $stack | Send-BatchTrigger -JobName hello -Parameter @{ name = 'Pester' } | Wait-BatchTrigger -Timeout 120
        $final.Status | Should -Be 'SUCCEEDED'
        $final.ExitCode | Should -Be 0
        Get-Content $final.LogLocation -Raw | Should -Match 'Hello, Pester!'
    }

    It 'is started once for one idempotency key' {
        $key = [guid]::NewGuid().ToString('N')
        $first = $stack | Send-BatchTrigger -JobName hello -IdempotencyKey $key
        $second = $stack | Send-BatchTrigger -JobName hello -IdempotencyKey $key
        $second.TriggerId | Should -Be $first.TriggerId
    }
}

Describe 'Failures a scheduled script must see' {
    It 'stops the script when the job fails' {
        { $stack | Send-BatchTrigger -JobName fail | Wait-BatchTrigger -Timeout 120 -ErrorAction Stop } |
            Should -Throw -ErrorId 'BatchPs.TriggerFailed,BatchPs.PowerShell.Commands.WaitBatchTriggerCommand'
    }

    It 'refuses a job that is not in the catalog' {
        { $stack | Send-BatchTrigger -JobName no-such-job -ErrorAction Stop } |
            Should -Throw -ErrorId 'BatchPs.UnknownJob,BatchPs.PowerShell.Commands.SendBatchTriggerCommand'
    }

    It 'reports an unknown trigger id as ObjectNotFound' {
        $stack | Get-BatchTriggerStatus -TriggerId 'no-such-trigger' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BatchPs.TriggerNotFound,*'
    }
}
