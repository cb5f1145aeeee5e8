@{
    # The build (build/module.targets) stamps ModuleVersion from Directory.Build.props $(Version).
    RootModule           = 'BatchPs.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0f3c5e-2b7a-4e69-9a55-7f0e3c1b8d42'
    Author               = 'BatchPs'
    CompanyName          = 'BatchPs'
    Copyright            = '(c) BatchPs contributors. MIT License.'
    Description          = 'Start AWS Batch jobs from on-premises schedulers and scripts through a trigger API, follow them to the end, and run the same API locally for tests.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('BatchPs.format.ps1xml')
    CmdletsToExport      = @(
        'Send-BatchTrigger'
        'Get-BatchTriggerStatus'
        'Get-BatchTriggerHistory'
        'Stop-BatchTrigger'
        'Get-BatchTrigger'
        'Get-BatchTriggerLog'
        'Wait-BatchTrigger'
        'Start-BatchTriggerLocalStack'
        'Stop-BatchTriggerLocalStack'
        'Get-BatchTriggerLocalStack'
        'Publish-BatchTriggerStack'
        'Get-BatchTriggerStack'
        'Remove-BatchTriggerStack'
        'Register-BatchTriggerJob'
        'Get-BatchTriggerJob'
        'Unregister-BatchTriggerJob'
        'Save-BatchTriggerConnection'
        'Get-BatchTriggerConnection'
        'Remove-BatchTriggerConnection'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @(
        'Deploy-BatchTriggerStack'
    )
    PrivateData          = @{
        PSData = @{
            Tags       = @('AWS', 'Batch', 'Scheduler', 'Trigger', 'StepFunctions', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
        }
    }
}
