using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Creates a branch.</summary>
/// <remarks>
/// <para>Creates a branch at a commit, as pggit_v0.create_branch() does in SQL. -Commit names the commit
/// as any revision does (a branch, a tag, a sha or unique prefix, HEAD, HEAD~2); without it the branch
/// starts at the tip of the checked-out branch. Creating a branch does not check it out.</para>
/// <para>With -Feature, creates the feature branch feature/&lt;name&gt; at the tip of the checked-out branch, as
/// pggit_v0.create_feature_branch() does, keeping -Description on the branch.</para>
/// <para>A name a branch or tag already has is a ResourceExists error; a -Commit that names no commit is
/// ObjectNotFound. Needs the writer role.</para>
/// </remarks>
/// <example>
/// <code>New-PgGitBranch -Name feature/orders</code>
/// <para>Creates feature/orders at the tip of the checked-out branch and outputs it.</para>
/// </example>
/// <example>
/// <code>New-PgGitBranch -Name hotfix -Commit v1.0</code>
/// <para>Creates hotfix at the commit tagged v1.0.</para>
/// </example>
/// <example>
/// <code>New-PgGitBranch -Feature orders -Description 'Orders and their lines'</code>
/// <para>Creates feature/orders at the tip of the checked-out branch, with a description.</para>
/// </example>
/// <seealso cref="GetPgGitBranchCommand"/>
/// <seealso cref="RemovePgGitBranchCommand"/>
/// <seealso cref="MergePgGitBranchCommand"/>
[Cmdlet(VerbsCommon.New, "PgGitBranch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(PgGitBranch))]
public sealed class NewPgGitBranchCommand : PgGitServerCmdlet
{
    private const string NameSet = "Name";
    private const string FeatureSet = "Feature";

    /// <summary>The new branch's name, e.g. feature/orders; git's ref name rules apply.</summary>
    [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Where the branch starts: a branch, tag, sha or unique prefix, HEAD, or any of them followed by ~n or ^.</summary>
    /// <value>the tip of the checked-out branch</value>
    [Parameter(ParameterSetName = NameSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Commit { get; set; }

    /// <summary>The feature's name: the branch made is feature/&lt;name&gt; (a leading feature/ is not doubled).</summary>
    [Parameter(ParameterSetName = FeatureSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Feature { get; set; } = "";

    /// <summary>What the feature is for; kept on the branch.</summary>
    [Parameter(ParameterSetName = FeatureSet)]
    public string? Description { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => ParameterSetName == FeatureSet ? Feature : Name;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        if (ParameterSetName == FeatureSet)
        {
            var name = Feature.StartsWith("feature/", StringComparison.Ordinal) ? Feature : "feature/" + Feature;
            if (!ShouldProcess($"branch '{name}' at {Connection.Endpoint}", "Create feature branch at HEAD")) return;
            var feature = Call(options => Connection.Merging.CreateFeatureBranchAsync(
                new CreateFeatureBranchRequest { Name = Feature, Description = Description ?? "" }, options));
            WriteObject(PgGitBranch.FromProto(feature));
            return;
        }

        if (!ShouldProcess($"branch '{Name}' at {Connection.Endpoint}", $"Create branch at {Commit ?? "HEAD"}")) return;

        var branch = Call(options => Connection.Branches.CreateBranchAsync(new CreateBranchRequest { Name = Name, FromRef = Commit ?? "" }, options));
        WriteObject(PgGitBranch.FromProto(branch));
    }
}
