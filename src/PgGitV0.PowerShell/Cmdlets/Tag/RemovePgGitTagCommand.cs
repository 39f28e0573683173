using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Deletes tags.</summary>
/// <remarks>
/// <para>Deletes tags, as pggit_v0.delete_tag() does in SQL; the commits stay. It asks for confirmation
/// first (ConfirmImpact High); -Confirm:$false skips the question and -WhatIf only says what would be
/// deleted. Tag names come from the pipeline by property name, so Get-PgGitTag output can be piped in.
/// An unknown tag is ObjectNotFound. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>Remove-PgGitTag -Name nightly -Confirm:$false</code>
/// <para>Deletes the tag nightly without asking.</para>
/// </example>
/// <example>
/// <code>Get-PgGitTag 'rc-*' | Remove-PgGitTag</code>
/// <para>Asks, tag by tag, before deleting the release-candidate tags.</para>
/// </example>
/// <seealso cref="GetPgGitTagCommand"/>
/// <seealso cref="NewPgGitTagCommand"/>
[Cmdlet(VerbsCommon.Remove, "PgGitTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemovePgGitTagCommand : PgGitServerCmdlet
{
    /// <summary>The names of the tags to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    private string? _current;

    /// <inheritdoc />
    protected override object? ErrorTarget => _current;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        foreach (var name in Name)
        {
            _current = name;
            if (!ShouldProcess($"tag '{name}' at {Connection.Endpoint}", "Delete tag")) continue;

            var response = Call(options => Connection.Branches.DeleteTagAsync(new DeleteTagRequest { Name = name }, options));
            WriteVerbose($"Deleted tag '{name}' (was {PgGitCommit.Abbreviate(response.DeletedSha)}).");
        }
    }
}
