using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Compares two branches.</summary>
/// <remarks>
/// <para>Lists how -OtherBranch differs from -Branch, tip against tip, as pggit_v0.diff_branches() does
/// in SQL (like git diff branch other): CREATE for an object only on -OtherBranch, DROP for one only on
/// -Branch, ALTER for one on both with different definitions. Each result has both definitions and a
/// unified diff of them in the Diff property.</para>
/// <para>With -FromMergeBase it lists what -OtherBranch would bring into -Branch: -OtherBranch against the
/// two branches' merge base, as pggit_v0.diff_branches_from_base() does (like git diff branch...other).
/// Branches that share no history are then an InvalidOperation error.</para>
/// </remarks>
/// <example>
/// <code>Compare-PgGitBranch -Branch main -OtherBranch dev</code>
/// <para>Lists the objects that differ between the tips of main and dev.</para>
/// </example>
/// <example>
/// <code>Compare-PgGitBranch main feature/orders -FromMergeBase | ForEach-Object Diff</code>
/// <para>Prints what merging feature/orders into main would change.</para>
/// </example>
/// <seealso cref="ComparePgGitCommitCommand"/>
/// <seealso cref="GetPgGitBranchCommand"/>
[Cmdlet(VerbsData.Compare, "PgGitBranch")]
[OutputType(typeof(PgGitObjectChange))]
public sealed class ComparePgGitBranchCommand : PgGitServerCmdlet
{
    /// <summary>The branch compared against (the old side); any revision works.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Branch { get; set; } = "";

    /// <summary>The branch whose differences are listed (the new side); any revision works.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string OtherBranch { get; set; } = "";

    /// <summary>Compares -OtherBranch with the merge base of the two instead of with the tip of -Branch: what -OtherBranch would bring into -Branch.</summary>
    [Parameter]
    public SwitchParameter FromMergeBase { get; set; }

    /// <inheritdoc />
    protected override object? ErrorTarget => FromMergeBase ? $"{Branch}...{OtherBranch}" : $"{Branch}..{OtherBranch}";

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var request = new DiffBranchesRequest { Branch1 = Branch, Branch2 = OtherBranch, FromMergeBase = FromMergeBase };
        var response = Call(options => Connection.History.DiffBranchesAsync(request, options));
        var reference = FromMergeBase ? $"merge base of {Branch} and {OtherBranch}" : Branch;
        foreach (var change in response.Changes) WriteObject(PgGitObjectChange.FromProto(change, reference, OtherBranch));
    }
}
