namespace PgGitV0.PowerShell;

/// <summary>What Export-PgGitRepository wrote: a bare sha256 git repository.</summary>
public sealed class PgGitExportResult
{
    /// <summary>The repository's folder (a bare repository: git -C &lt;Path&gt; log works, git clone &lt;Path&gt; checks it out).</summary>
    public required string Path { get; init; }

    /// <summary>How many git objects (commits, trees, blobs) were written.</summary>
    public required int Objects { get; init; }

    /// <summary>The branches written under refs/heads/.</summary>
    public required string[] Branches { get; init; }

    /// <summary>The tags written under refs/tags/.</summary>
    public required string[] Tags { get; init; }

    /// <summary>The branch HEAD names.</summary>
    public required string Head { get; init; }

    /// <summary>The repository's folder.</summary>
    public override string ToString() => Path;
}
