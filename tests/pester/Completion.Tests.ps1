# Tab completion and the job list as a user meets them against a real local stack: TabExpansion2 is what the
# console calls on Tab, so these are the completions a person sees.
BeforeAll {
    . $PSScriptRoot/Helpers.ps1
    Import-Module BatchPs -Force
    $catalog = Join-Path $TestDrive 'catalog.json'
    @{ jobs = @(
        @{ name = 'nightly-export'; description = 'The export'; command = @('{localstack}', 'sample-job', '--name', 'Ref::date', '--steps', '0'); parameters = @{ date = $null; mode = 'full' }; allowOverrides = @('timeoutSeconds'); environment = @{ SECRET_THING = 'x' } }
        @{ name = 'nightly-import'; command = @('{localstack}', 'sample-job', '--steps', '0') }
        @{ name = 'slow'; command = @('{localstack}', 'sample-job', '--steps', '200', '--delay-ms', '300') }
    ) } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $catalog
    $script:stack = Start-BatchTriggerLocalStack -CatalogPath $catalog
    $script:endpoint = $stack.Endpoint
    $script:key = [Net.NetworkCredential]::new('', $stack.ApiKey).Password

    # What Tab offers at the end of $line.
    function Complete([string] $line) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
    }
}
AfterAll {
    $script:stack | Stop-BatchTriggerLocalStack
}

Describe 'Get-BatchTriggerJob against a stack''s API' {
    It 'lists the jobs a caller may start, sorted, with parameters and no command line or environment' {
        $jobs = Get-BatchTriggerJob -Endpoint $endpoint -ApiKey $key
        $jobs.Name | Should -Be @('nightly-export', 'nightly-import', 'slow')
        $export = $jobs[0]
        $export.Description | Should -Be 'The export'
        $export.Parameters['mode'] | Should -Be 'full'
        $export.Parameters.ContainsKey('date') | Should -BeTrue
        $export.Parameters['date'] | Should -BeNullOrEmpty
        $export.AllowOverrides | Should -Be @('timeoutSeconds')
        $export.PSObject.Properties.Name | Should -Not -Contain 'Command'
        $export.PSObject.Properties.Name | Should -Not -Contain 'Environment'
    }

    It 'takes wildcards and the local stack''s output from the pipeline' {
        ($stack | Get-BatchTriggerJob nightly-*).Name | Should -Be @('nightly-export', 'nightly-import')
        ($stack | Get-BatchTriggerJob).Count | Should -Be 3
    }

    It 'says a plain name that matches nothing is not in that stack, and lists the rest' {
        $found = $stack | Get-BatchTriggerJob slow, nope -ErrorVariable missing -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'slow'
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'BatchPs.JobNotRegistered,BatchPs.PowerShell.Commands.GetBatchTriggerJobCommand'
        $missing[0].Exception.Message | Should -BeLike "Job 'nope' is not in the stack at $endpoint*"
    }

    It 'reports a refused key as Forbidden' {
        { Get-BatchTriggerJob -Endpoint $endpoint -ApiKey 'not-the-key' -ErrorAction Stop } | Should -Throw -ErrorId 'BatchPs.Forbidden,*'
    }
}

Describe 'Tab completion' {
    It 'completes -JobName from the stack''s jobs, with the parameters as the tooltip' {
        Complete "Send-BatchTrigger -Endpoint '$endpoint' -ApiKey 'a-wrong-key' -JobName nightly-" | Should -BeNullOrEmpty
        $offered = Complete "Send-BatchTrigger -Endpoint '$endpoint' -ApiKey '$key' -JobName nightly-"
        $offered.CompletionText | Should -Be @('nightly-export', 'nightly-import')
        $offered[0].ToolTip | Should -Be 'The export (parameters: date (required), mode=full)'
    }

    It 'completes -JobName with the connection in variables, as a script is typed' {
        # At the console these are global variables; completion reads them from there.
        $global:BatchPsTestEndpoint = $endpoint; $global:BatchPsTestKey = $stack.ApiKey
        try {
            (Complete 'Get-BatchTrigger -Endpoint $BatchPsTestEndpoint -ApiKey $BatchPsTestKey -JobName sl').CompletionText | Should -Be 'slow'
        }
        finally {
            Remove-Variable -Scope Global -Name BatchPsTestEndpoint, BatchPsTestKey
        }
    }

    It 'completes from the one running local stack when the endpoint comes from the pipeline ($stack | ...)' {
        (Complete '$anything | Send-BatchTrigger -JobName nightly-i').CompletionText | Should -Be 'nightly-import'
    }

    It 'offers nothing when the command would find no endpoint, rather than another stack''s jobs' {
        Complete 'Send-BatchTrigger -JobName nightly-i' | Should -BeNullOrEmpty
    }

    It 'is quiet, and quick, when the stack cannot be reached' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Complete "Send-BatchTrigger -Endpoint 'http://127.0.0.1:9' -ApiKey k -JobName n" | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'does not remember a key typed on a line that never ran' {
        Import-Module BatchPs -Force
        $other = "http://localhost:$($endpoint.Port)"
        $null = Complete "Send-BatchTrigger -Endpoint '$other' -ApiKey '$key' -JobName s"
        { Get-BatchTriggerJob -Endpoint $other -ErrorAction Stop } | Should -Throw -ErrorId 'BatchPs.ApiKeyMissing,*'
    }

    It 'completes -TriggerId with recent triggers, newest first, showing job and status' {
        $first = $stack | Send-BatchTrigger -JobName nightly-import
        $second = $stack | Send-BatchTrigger -JobName nightly-export -Parameter @{ date = 'd' }
        $offered = Complete "Get-BatchTriggerStatus -Endpoint '$endpoint' -ApiKey '$key' -TriggerId "
        $offered.CompletionText[0..1] | Should -Be @($second.TriggerId, $first.TriggerId)
        $offered[0].ListItemText | Should -BeLike "$($second.TriggerId) (nightly-export, *)"
        $offered[0].ToolTip | Should -BeLike "Job 'nightly-export', *, created *"
    }

    It 'offers only triggers that have not ended to Stop-BatchTrigger' {
        $running = $stack | Send-BatchTrigger -JobName slow
        $ended = $stack | Send-BatchTrigger -JobName slow -Parameter @{} | Stop-BatchTrigger -Force
        $offered = (Complete "Stop-BatchTrigger -Endpoint '$endpoint' -ApiKey '$key' -TriggerId ").CompletionText
        $offered | Should -Contain $running.TriggerId
        $offered | Should -Not -Contain $ended.TriggerId
        $running | Stop-BatchTrigger -Force | Out-Null
    }

    It 'completes saved connection names' {
        $env:BATCHPS_CONNECTIONS_DIR = Join-Path $TestDrive 'connections'
        try {
            Save-BatchTriggerConnection -Name nightly-box -Endpoint $endpoint -ApiKey $key
            Save-BatchTriggerConnection -Name other -Endpoint $endpoint -ApiKey $key
            $offered = Complete 'Remove-BatchTriggerConnection -Name ni'
            $offered.CompletionText | Should -Be 'nightly-box'
            $offered[0].ToolTip | Should -BeLike "$endpoint* (ApiKey)"
        }
        finally {
            Remove-Item Env:BATCHPS_CONNECTIONS_DIR
        }
    }
}
