# The trigger cmdlets as a user meets them against a real local stack: keys, idempotency, pipeline
# conventions, waits and the messages they write.
BeforeAll {
    . $PSScriptRoot/Helpers.ps1
    Import-Module BatchPs -Force
    $catalog = Join-Path $TestDrive 'catalog.json'
    @{ jobs = @(
        @{ name = 'quick'; command = @('{localstack}', 'sample-job', '--name', 'Ref::name', '--steps', '0'); parameters = @{ name = 'world' }; allowOverrides = @('timeoutSeconds') }
        @{ name = 'slow'; command = @('{localstack}', 'sample-job', '--steps', '100', '--delay-ms', '300') }
        @{ name = 'fail'; command = @('{localstack}', 'sample-job', '--steps', '0', '--exit-code', '3') }
    ) } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $catalog
    $script:stack = Start-BatchTriggerLocalStack -CatalogPath $catalog -ApiKey "the-key-1`n"
    $script:endpoint = $stack.Endpoint
}
AfterAll {
    $script:stack | Stop-BatchTriggerLocalStack
    Remove-Item Env:BATCHPS_API_KEY -ErrorAction SilentlyContinue
}

Describe 'API keys' {
    It 'trims the newline Get-Content -Raw leaves, at the stack and at the caller' {
        Set-Content -LiteralPath (Join-Path $TestDrive 'key') -Value 'the-key-1'
        $key = Get-Content -LiteralPath (Join-Path $TestDrive 'key') -Raw
        $key | Should -Match "`n$"
        $sent = Send-BatchTrigger -JobName quick -Endpoint $endpoint -ApiKey $key
        $sent.Status | Should -Be 'RECEIVED'
    }

    It 'refuses a key with a line break inside before sending anything, saying so' {
        { Send-BatchTrigger -JobName quick -Endpoint $endpoint -ApiKey "the-key`r`nx-evil: 1" -ErrorAction Stop } |
            Should -Throw -ErrorId 'BatchPs.InvalidApiKey,BatchPs.PowerShell.Commands.SendBatchTriggerCommand' -ExpectedMessage '*control character (U+000D) at position 8*'
    }

    It 'refuses a non-ASCII key at once instead of retrying it as a connection failure' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { Send-BatchTrigger -JobName quick -Endpoint $endpoint -ApiKey 'clé' -ErrorAction Stop } |
            Should -Throw -ErrorId 'BatchPs.InvalidApiKey,*' -ExpectedMessage '*non-ASCII character (U+00E9)*'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
    }

    It 'refuses such a key at Start-BatchTriggerLocalStack too' {
        { Start-BatchTriggerLocalStack -ApiKey "a`tb" -ErrorAction Stop } | Should -Throw -ErrorId 'BatchPs.InvalidApiKey,*'
    }

    It 'follows $env:BATCHPS_API_KEY after a Forbidden: the right key set later is used' {
        Import-Module BatchPs -Force # a fresh session: no key given with -ApiKey remembered
        $env:BATCHPS_API_KEY = 'wrong-key'
        $fresh = "http://127.0.0.1:$($endpoint.Port)/"
        Send-BatchTrigger -JobName quick -Endpoint $fresh -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'BatchPs.Forbidden,*'
        $env:BATCHPS_API_KEY = 'the-key-1'
        (Send-BatchTrigger -JobName quick -Endpoint $fresh).Status | Should -Be 'RECEIVED'
    }

    It 'forgets a key given with -ApiKey once the stack refuses it, so the environment is read again' {
        $env:BATCHPS_API_KEY = 'the-key-1'
        $other = "http://localhost:$($endpoint.Port)"
        Send-BatchTrigger -JobName quick -Endpoint $other -ApiKey 'wrong-key' -ErrorAction SilentlyContinue
        (Send-BatchTrigger -JobName quick -Endpoint $other).Status | Should -Be 'RECEIVED'
    }
}

Describe 'Idempotency keys' {
    It 'gives the same trigger for the same key and request, and -Verbose says it was a replay' {
        $key = [guid]::NewGuid().ToString('N')
        $first = $stack | Send-BatchTrigger -JobName quick -Parameter @{ name = 'a' } -IdempotencyKey $key
        $second = $stack | Send-BatchTrigger -JobName quick -Parameter @{ name = 'a' } -IdempotencyKey $key -Verbose 4>&1
        $record = $second | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $record.TriggerId | Should -Be $first.TriggerId
        ($second | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n" | Should -Match 'used before with the same request.*no new trigger was made'
    }

    It 'refuses the same key for another job with IdempotencyKeyConflict, naming the job names' {
        $key = [guid]::NewGuid().ToString('N')
        $null = $stack | Send-BatchTrigger -JobName quick -IdempotencyKey $key
        $stack | Send-BatchTrigger -JobName fail -IdempotencyKey $key -ErrorVariable conflict -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $conflict[0].FullyQualifiedErrorId | Should -Be 'BatchPs.IdempotencyKeyConflict,BatchPs.PowerShell.Commands.SendBatchTriggerCommand'
        $conflict[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $conflict[0].Exception.Message | Should -Match "jobName is 'fail', the trigger's is 'quick'"
    }

    It 'refuses the same key with another parameter value, naming the parameter' {
        $key = [guid]::NewGuid().ToString('N')
        $null = $stack | Send-BatchTrigger -JobName quick -Parameter @{ name = 'a' } -IdempotencyKey $key
        { $stack | Send-BatchTrigger -JobName quick -Parameter @{ name = 'b' } -IdempotencyKey $key -ErrorAction Stop } |
            Should -Throw -ErrorId 'BatchPs.IdempotencyKeyConflict,*' -ExpectedMessage "*parameters.name is 'b', the trigger's is 'a'*"
    }
}

Describe 'Pipeline and parameter conventions' {
    It 'takes trigger ids as plain strings from the pipeline' {
        $sent = $stack | Send-BatchTrigger -JobName quick
        ($sent.TriggerId | Get-BatchTriggerStatus -Endpoint $endpoint).TriggerId | Should -Be $sent.TriggerId
        ($sent.TriggerId | Get-BatchTriggerHistory -Endpoint $endpoint).TriggerId | Should -Be $sent.TriggerId
        ($sent.TriggerId | Wait-BatchTrigger -Endpoint $endpoint -Timeout 60).Status | Should -Be 'SUCCEEDED'
        (Get-BatchTriggerStatus -Id $sent.TriggerId -Endpoint $endpoint).TriggerId | Should -Be $sent.TriggerId
    }

    It 'waits for several triggers, as Wait-Job does' {
        $a = $stack | Send-BatchTrigger -JobName quick
        $b = $stack | Send-BatchTrigger -JobName quick
        $final = Wait-BatchTrigger -TriggerId $a.TriggerId, $b.TriggerId -Endpoint $endpoint -Timeout 60
        @($final).Count | Should -Be 2
        $final.Status | Should -Be @('SUCCEEDED', 'SUCCEEDED')
    }

    It 'returns at the first trigger to end with -Any, the other going on' {
        $slow = $stack | Send-BatchTrigger -JobName slow
        $quick = $stack | Send-BatchTrigger -JobName quick
        $first = $slow, $quick | Wait-BatchTrigger -Any -Timeout 60
        @($first).Count | Should -Be 1
        $first.TriggerId | Should -Be $quick.TriggerId
        ($slow | Get-BatchTriggerStatus).Status | Should -Not -BeIn @('SUCCEEDED', 'FAILED')
    }

    It 'bounds the whole wait with one -Timeout' {
        $a = $stack | Send-BatchTrigger -JobName slow
        $b = $stack | Send-BatchTrigger -JobName slow
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $a, $b | Wait-BatchTrigger -Timeout 2 -ErrorVariable late -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        @($late | ForEach-Object FullyQualifiedErrorId) | Should -Be (@('BatchPs.WaitTimeout,BatchPs.PowerShell.Commands.WaitBatchTriggerCommand') * 2)
    }

    It 'sends and waits in one call with -Wait' {
        $final = $stack | Send-BatchTrigger -JobName quick -Parameter @{ name = 'waited' } -Wait -Timeout 60
        $final.Status | Should -Be 'SUCCEEDED'
        Get-Content -LiteralPath $final.LogLocation -Raw | Should -Match 'Hello, waited!'
    }

    It 'sends overrides the catalog allows with -Override, and refuses the others' {
        $sent = $stack | Send-BatchTrigger -JobName quick -Override @{ timeoutSeconds = 90 }
        $sent.Overrides.TimeoutSeconds | Should -Be 90
        { $stack | Send-BatchTrigger -JobName quick -Override @{ retryAttempts = 2 } -ErrorAction Stop } | Should -Throw -ErrorId 'BatchPs.OverrideNotAllowed,*'
        { $stack | Send-BatchTrigger -JobName quick -Override @{ colour = 'red' } -ErrorAction Stop } | Should -Throw -ErrorId 'BatchPs.InvalidOverride,*' -ExpectedMessage "*'colour' is not an override*"
    }

    It 'refuses an -Endpoint that is not a URL at binding, saying what an endpoint is' {
        { Get-BatchTriggerStatus -TriggerId x -Endpoint 'not a url' -ApiKey k -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -ExpectedMessage "*'not a url' is not an endpoint: pass the stack's absolute http or https URL*"
    }

    It 'has -Force on the cmdlets that confirm a destructive change, and -PassThru where one writes what it saved' {
        (Get-Command Remove-BatchTriggerStack).Parameters.Keys | Should -Contain 'Force'
        (Get-Command Unregister-BatchTriggerJob).Parameters.Keys | Should -Contain 'Force'
        (Get-Command Save-BatchTriggerConnection).Parameters.Keys | Should -Contain 'PassThru'
    }
}

Describe 'Connection failures' {
    It 'does not retry TLS against a plain HTTP port, and says to use http://' {
        $https = "https://127.0.0.1:$($endpoint.Port)/"
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { Get-BatchTriggerStatus -TriggerId x -Endpoint $https -ApiKey 'the-key-1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'BatchPs.ConnectionFailed,*' -ExpectedMessage '*TLS handshake failed*use an http:// endpoint*'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
    }

    It 'writes a verbose line for each retry, a sentence before the advice' {
        $closed = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module BatchPs; Get-BatchTriggerStatus -TriggerId x -Endpoint http://127.0.0.1:$port -ApiKey k -Verbose")
        $null = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($ps.Streams.Verbose.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $ps.Stop()
        $lines = @($ps.Streams.Verbose | ForEach-Object Message)
        $ps.Dispose()
        $lines.Count | Should -BeGreaterOrEqual 2
        $lines[0] | Should -Match '^Attempt 1 failed after [\d.]+ s: Could not reach http://127\.0\.0\.1:\d+/: [^.]+\. Check the endpoint URL'
        $lines[0] | Should -Match 'Retrying in [\d.]+ s \(retries go on for up to 2 minutes; Ctrl\+C stops\)\.$'
        $lines[1] | Should -Match '^Attempt 2 failed'
    }
}

Describe 'Messages' {
    It 'says each fact of a FAILED job once, in sentences' {
        $stack | Send-BatchTrigger -JobName fail | Wait-BatchTrigger -Timeout 60 -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
        $message = $failed[0].Exception.Message
        $message | Should -Match "^Trigger \w+ \(job 'fail'\) ended FAILED: "
        $message | Should -Not -Match '\.\.|\.\)\.'
        ([regex]::Matches($message, 'code 3')).Count | Should -Be 1
        ([regex]::Matches($message, [regex]::Escape($failed[0].TargetObject.LogLocation))).Count | Should -Be 1
        $failed[0].Exception.ExitCode | Should -Be 3
    }
}
