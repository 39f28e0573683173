using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Tags a commit.</summary>
/// <remarks>
/// <para>Gives a commit a fixed name, as pggit_v0.create_tag() does in SQL. -Commit names the commit as
/// any revision does; without it the tip of the checked-out branch is tagged. Branches and tags share
/// one namespace: a name either already has is a ResourceExists error. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>New-PgGitTag -Name v1.0 -Message 'First release'</code>
/// <para>Tags the tip of the checked-out branch as v1.0 and outputs the tag.</para>
/// </example>
/// <example>
/// <code>Get-PgGitCommit -First 1 | New-PgGitTag -Name nightly</code>
/// <para>Tags the newest commit; the commit's Sha binds to -Commit.</para>
/// </example>
/// <seealso cref="GetPgGitTagCommand"/>
/// <seealso cref="RemovePgGitTagCommand"/>
[Cmdlet(VerbsCommon.New, "PgGitTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitTag))]
public sealed class NewPgGitTagCommand : PgGitServerCmdlet
{
    /// <summary>The new tag's name, e.g. v1.0; git's ref name rules apply.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The commit to tag: a branch, tag, sha or unique prefix, HEAD, or any of them followed by ~n or ^.</summary>
    /// <value>the tip of the checked-out branch</value>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Commit { get; set; }

    /// <summary>A message saying what the tag marks.</summary>
    /// <value>none</value>
    [Parameter]
    public string? Message { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => Name;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"tag '{Name}' at {Connection.Endpoint}", $"Tag {Commit ?? "HEAD"}")) return;

        var tag = Call(options => Connection.Branches.CreateTagAsync(new CreateTagRequest { Name = Name, Ref = Commit ?? "", Message = Message ?? "" }, options));
        WriteObject(PgGitTag.FromProto(tag));
    }
}
