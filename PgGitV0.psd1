# Module manifest for PgGitV0: git for PostgreSQL schemas, scripted from PowerShell (docs/powershell.md).
# The build copies it into out/PgGitV0/ next to PgGitV0.dll; import that folder's copy.
@{
    RootModule           = 'PgGitV0.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d0c3f4e-8b7a-4f51-9a0e-2f6b1c9d7e43'
    Author               = 'pggit_v0 contributors'
    CompanyName          = 'pggit_v0'
    Copyright            = '(c) pggit_v0 contributors'
    Description          = 'Git for PostgreSQL schemas: commits, history, objects, branches, merges, merge requests and activity of a pggit_v0 server over gRPC.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('PgGitV0.format.ps1xml')

    # Exactly the cmdlets PgGitV0.dll defines; a test compares this list with Get-Command -Module PgGitV0.
    CmdletsToExport      = @(
        'Approve-PgGitMergeRequest'
        'Close-PgGitMergeRequest'
        'Compare-PgGitBranch'
        'Compare-PgGitCommit'
        'Complete-PgGitMerge'
        'Complete-PgGitMergeRequest'
        'Connect-PgGit'
        'Copy-PgGitCommit'
        'Disconnect-PgGit'
        'Export-PgGitRepository'
        'Get-PgGitBranch'
        'Get-PgGitCommit'
        'Get-PgGitConflict'
        'Get-PgGitInsight'
        'Get-PgGitMergeRequest'
        'Get-PgGitObject'
        'Get-PgGitObjectHistory'
        'Get-PgGitTag'
        'Merge-PgGitBranch'
        'New-PgGitBranch'
        'New-PgGitCommit'
        'New-PgGitMergeRequest'
        'New-PgGitTag'
        'Remove-PgGitBranch'
        'Remove-PgGitTag'
        'Resolve-PgGitConflict'
        'Restore-PgGitBranch'
        'Stop-PgGitMerge'
        'Test-PgGitMerge'
        'Update-PgGitBranch'
        'Watch-PgGitActivity'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags = @('PostgreSQL', 'git', 'schema', 'gRPC', 'version-control')
        }
    }
}
