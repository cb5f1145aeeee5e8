# The local stack's life as a user meets it: found again, stopped with the session that started it, and the
# reasons it cannot start said plainly.
BeforeAll {
    . $PSScriptRoot/Helpers.ps1
    Import-Module BatchPs -Force
}

Describe 'Get-BatchTriggerLocalStack' {
    It 'finds a running stack with its endpoint and key, and no longer once it is stopped' {
        $stack = Start-BatchTriggerLocalStack
        try {
            $found = Get-BatchTriggerLocalStack | Where-Object ProcessId -eq $stack.ProcessId
            $found.Endpoint | Should -Be $stack.Endpoint
            ($found | Send-BatchTrigger -JobName noop -Wait -Timeout 60).Status | Should -Be 'SUCCEEDED'
            (Get-BatchTriggerLocalStack -Port $stack.Endpoint.Port).ProcessId | Should -Be $stack.ProcessId
        }
        finally { $stack | Stop-BatchTriggerLocalStack }
        Get-BatchTriggerLocalStack | Where-Object ProcessId -eq $stack.ProcessId | Should -BeNullOrEmpty
    }
}

Describe 'Start-BatchTriggerLocalStack settings' {
    It 'passes -RecordRetentionDays and -MaxConnections to the stack, which says so in its log' {
        $stack = Start-BatchTriggerLocalStack -RecordRetentionDays 7 -MaxConnections 40
        try {
            Get-Content -LiteralPath $stack.LogPath -Raw | Should -Match 'Connections: at most 40  Record retention: 7 days'
        }
        finally { $stack | Stop-BatchTriggerLocalStack }
        $default = Start-BatchTriggerLocalStack
        try {
            Get-Content -LiteralPath $default.LogPath -Raw | Should -Match 'Record retention: 90 days'
        }
        finally { $default | Stop-BatchTriggerLocalStack }
    }

    It 'refuses a retention outside 1 to 3650 days before starting anything' {
        { Start-BatchTriggerLocalStack -RecordRetentionDays 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'A stack and the session that started it' {
    It 'stops when the pwsh that started it ends, though the script never stopped it' {
        $script = Join-Path $TestDrive 'forgets.ps1'
        Set-Content -LiteralPath $script -Value '$s = Start-BatchTriggerLocalStack; "$($s.ProcessId) $($s.DataDirectory)"'
        $run = Invoke-ScheduledScript -Path $script
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $processId, $data = ($run.Output.Trim() -split ' ', 2)
        Get-Process -Id $processId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path -LiteralPath $data | Should -BeFalse
    }

    It 'runs on with -KeepRunning, and a later session finds and stops it' {
        $script = Join-Path $TestDrive 'keeps.ps1'
        Set-Content -LiteralPath $script -Value '$s = Start-BatchTriggerLocalStack -KeepRunning; $s.ProcessId'
        $run = Invoke-ScheduledScript -Path $script
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $processId = [int]$run.Output.Trim()
        try {
            Get-Process -Id $processId | Should -Not -BeNullOrEmpty
            $found = Get-BatchTriggerLocalStack | Where-Object ProcessId -eq $processId
            $found | Should -Not -BeNullOrEmpty
            ($found | Send-BatchTrigger -JobName noop -Wait -Timeout 60).Status | Should -Be 'SUCCEEDED'
        }
        finally { Get-BatchTriggerLocalStack | Where-Object ProcessId -eq $processId | Stop-BatchTriggerLocalStack }
        Get-Process -Id $processId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Why a stack cannot start' {
    It 'refuses a port in use before starting anything, without a stack trace' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            { Start-BatchTriggerLocalStack -Port $port -ErrorAction Stop } |
                Should -Throw -ErrorId 'BatchPs.LocalStackStartFailed,*' -ExpectedMessage "Port $port on 127.0.0.1 is in use by another program. Pass another -Port, or leave -Port out to take a free one."
        }
        finally { $listener.Stop() }
    }

    It 'says the ASP.NET Core 10 runtime is needed when dotnet has only the base runtime' {
        $root = Join-Path $TestDrive 'dotnet-base-only'
        New-Item -ItemType Directory -Path (Join-Path $root 'shared/Microsoft.NETCore.App/10.0.0') -Force | Out-Null
        $fake = Join-Path $root ([IO.Path]::GetFileName([Environment]::ProcessPath))
        Set-Content -LiteralPath $fake -Value ''
        $saved = $env:DOTNET_HOST_PATH
        $env:DOTNET_HOST_PATH = $fake
        try {
            { Start-BatchTriggerLocalStack -ErrorAction Stop } |
                Should -Throw -ErrorId 'BatchPs.LocalStackStartFailed,*' -ExpectedMessage '*needs the ASP.NET Core 10 runtime (Microsoft.AspNetCore.App 10.x)*'
        }
        finally { $env:DOTNET_HOST_PATH = $saved }
    }
}
