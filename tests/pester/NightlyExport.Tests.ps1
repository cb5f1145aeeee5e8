BeforeAll {
    Import-Module BatchPs
    $script:stack = Start-BatchTriggerLocalStack -CatalogPath "$PSScriptRoot/catalog.json"
}
AfterAll { $script:stack | Stop-BatchTriggerLocalStack }

Describe 'nightly export' {
    It 'succeeds' {
        $final = $stack | Send-BatchTrigger -JobName nightly-export -Parameter @{ date = '2026-11-24' } |
                 Wait-BatchTrigger -Timeout 120
        $final.Status | Should -Be 'SUCCEEDED'
    }
}
