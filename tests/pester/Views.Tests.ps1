# The default views as a console 80 columns wide shows them.
BeforeAll {
    . $PSScriptRoot/Helpers.ps1
    Import-Module BatchPs -Force
    $script:stack = Start-BatchTriggerLocalStack
    $script:final = $stack | Send-BatchTrigger -JobName hello | Wait-BatchTrigger -Timeout 60
    function Format-At80($InputObject) { @(($InputObject | Out-String -Width 80) -split "`r?`n") }
}
AfterAll { $script:stack | Stop-BatchTriggerLocalStack }

Describe 'Table views at 80 columns' {
    It 'shows a trigger record in one line per record, every column with its header whole' {
        $lines = Format-At80 $final
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $header = $lines | Where-Object { $_ -match '^TriggerId' }
        $header | Should -Match '^TriggerId\s+JobName\s+Status\s+Exit\s+StatusReason$'
        $row = $lines | Where-Object { $_ -match [regex]::Escape($final.TriggerId) }
        $row | Should -Match 'hello\s+SUCCEEDED\s+0 '
        # The reason wraps in its column, every word of it shown.
        $reasonColumn = $header.IndexOf('StatusReason')
        $shown = ($lines | Where-Object { $_.Length -gt $reasonColumn } | Select-Object -Skip 2 | ForEach-Object { $_.Substring($reasonColumn).Trim() }) -join ' '
        $shown | Should -Be $final.StatusReason
    }

    It 'shows a local stack with its endpoint whole' {
        $lines = Format-At80 $stack
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match ([regex]::Escape($stack.Endpoint.ToString()))
    }

    It 'shows a trigger history, and its events with their states' {
        $history = $stack | Get-BatchTriggerHistory -TriggerId $final.TriggerId
        $lines = Format-At80 $history
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match "$($final.TriggerId)\s+SUCCEEDED\s+5 "
        $lines = Format-At80 $history.Events
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match 'TaskStateEntered\s+Record SUBMITTED'
    }
}
