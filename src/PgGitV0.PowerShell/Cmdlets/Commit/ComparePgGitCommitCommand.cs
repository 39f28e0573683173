using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Compares two commits.</summary>
/// <remarks>
/// <para>Lists what changed from one commit to another, as pggit_v0.diff_commits() does in SQL (like git
/// diff old new): one object per changed object, in path order, with CREATE, ALTER or DROP, both
/// definitions, and a unified diff of them in the Diff property. A rename is a DROP of the old path and a
/// CREATE of the new one; a commit compared with itself gives nothing.</para>
/// <para>Name the commits with -ReferenceCommit (the old side) and -DifferenceCommit (the new side, HEAD by
/// default), or both at once with -Commit old, new. Any revision works: a branch, a tag, a sha or unique
/// prefix, HEAD~2. A commit piped in binds to -DifferenceCommit by its Sha.</para>
/// </remarks>
/// <example>
/// <code>Compare-PgGitCommit -ReferenceCommit HEAD~1</code>
/// <para>Shows what the newest commit changed.</para>
/// </example>
/// <example>
/// <code>Compare-PgGitCommit -Commit v1.0, main | ForEach-Object Diff</code>
/// <para>Prints a unified diff of every object changed since the tag v1.0.</para>
/// </example>
/// <seealso cref="ComparePgGitBranchCommand"/>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsData.Compare, "PgGitCommit", DefaultParameterSetName = ByReferenceSet)]
[OutputType(typeof(PgGitObjectChange))]
public sealed class ComparePgGitCommitCommand : PgGitServerCmdlet
{
    private const string ByReferenceSet = "ByReference";
    private const string ByPairSet = "ByPair";

    /// <summary>The old side: a branch, tag, sha or unique prefix, HEAD, or any of them followed by ~n or ^.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByReferenceSet)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string ReferenceCommit { get; set; } = "";

    /// <summary>The new side: a branch, tag, sha or unique prefix, HEAD, or any of them followed by ~n or ^.</summary>
    /// <value>HEAD</value>
    [Parameter(Position = 1, ParameterSetName = ByReferenceSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Sha")]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string DifferenceCommit { get; set; } = "HEAD";

    /// <summary>The old and the new side at once, in that order.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByPairSet)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateCount(2, 2)]
    [ValidateNotNullOrEmpty]
    public string[] Commit { get; set; } = [];

    private string OldRef => ParameterSetName == ByPairSet ? Commit[0] : ReferenceCommit;

    private string NewRef => ParameterSetName == ByPairSet ? Commit[1] : DifferenceCommit;

    /// <inheritdoc />
    protected override object? ErrorTarget => $"{OldRef}..{NewRef}";

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var (oldRef, newRef) = (OldRef, NewRef);
        var response = Call(options => Connection.History.DiffCommitsAsync(new DiffCommitsRequest { OldRef = oldRef, NewRef = newRef }, options));
        foreach (var change in response.Changes) WriteObject(PgGitObjectChange.FromProto(change, oldRef, newRef));
    }
}
