using System.Diagnostics;
using System.Management.Automation;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Writes the repository, or some of its branches, as a real sha256 git repository.</summary>
/// <remarks>
/// <para>Streams the repository from the server (HistoryService.ExportRepository) and writes it to -Path as
/// a bare git repository in sha256 object format, without running git: HEAD, config, every object as a
/// loose object, branches under refs/heads/ and tags under refs/tags/. git reads it as it is
/// (git -C &lt;Path&gt; log), and git clone &lt;Path&gt; makes a working copy of it. Each object's id is
/// checked against its content as it is written; a mismatch is an InvalidData error naming the object
/// and ends the export.</para>
/// <para>Without -Branch every object, branch and tag is written and HEAD names the checked-out branch.
/// With -Branch only those branches are written, with the objects they reach (their whole history) and
/// the tags that point into it; HEAD names the checked-out branch if it is one of them, else the first
/// one listed. A branch that does not exist is ObjectNotFound, and nothing is written.</para>
/// <para>-Path must not exist or be an empty folder; a folder with anything in it is a ResourceExists
/// error unless -Force is given, in which case the export is written into it and the refs a previous
/// export left there are replaced. An export that fails or is stopped part way leaves the objects
/// written so far; run it again with -Force. Needs the reader role.</para>
/// </remarks>
/// <example>
/// <code>Export-PgGitRepository -Path ./schema.git; git -C ./schema.git log --oneline</code>
/// <para>Writes the whole repository to ./schema.git and shows its history with git.</para>
/// </example>
/// <example>
/// <code>Export-PgGitRepository -Path ./feature.git -Branch feature/orders, main</code>
/// <para>Writes only feature/orders and main, their history and the tags on it.</para>
/// </example>
/// <example>
/// <code>Export-PgGitRepository -Path ./schema.git -Force; git clone ./schema.git ./schema</code>
/// <para>Refreshes an earlier export in place, then checks it out as files.</para>
/// </example>
/// <seealso cref="GetPgGitBranchCommand"/>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsData.Export, "PgGitRepository", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PgGitExportResult))]
public sealed class ExportPgGitRepositoryCommand : PgGitServerCmdlet
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The folder to write the git repository to; it must not exist or be empty, unless -Force is given.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Export only these branches, what they reach and the tags that point into their history.</summary>
    /// <value>every branch and tag</value>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Branch { get; set; }

    /// <summary>Writes into a folder that is not empty, replacing the refs a previous export left there.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private string? _target;

    /// <inheritdoc />
    protected override object? ErrorTarget => _target;

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var path = _target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(path))
        {
            WriteError(new ErrorRecord(new IOException($"'{path}' is a file; give Export-PgGitRepository a folder that does not exist or is empty."),
                "PgGitExportPathIsFile", ErrorCategory.InvalidArgument, path));
            return;
        }
        if (!Force && !BareRepositoryWriter.IsMissingOrEmpty(path))
        {
            WriteError(new ErrorRecord(new IOException($"'{path}' is not empty; export to a new folder, or pass -Force to write into it."),
                "PgGitExportPathNotEmpty", ErrorCategory.ResourceExists, path));
            return;
        }
        var what = Branch is null ? "every branch and tag" : "branch " + string.Join(", ", Branch.Select(b => $"'{b}'"));
        if (!ShouldProcess(path, $"Export {what} of {Connection.Endpoint} as a sha256 git repository")) return;

        try
        {
            WriteObject(Export(path));
        }
        catch (InvalidDataException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PgGitExportCorruptObject", ErrorCategory.InvalidData, path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "PgGitExportWriteFailed", ErrorCategory.WriteError, path));
        }
    }

    private PgGitExportResult Export(string path)
    {
        var request = new ExportRepositoryRequest();
        if (Branch is not null) request.Branches.AddRange(Branch);
        using var call = Connection.History.ExportRepository(request, Connection.Options(StopToken));

        var progress = new ProgressRecord(5, "Export-PgGitRepository", $"Writing {path}");
        var sinceProgress = Stopwatch.StartNew();
        BareRepositoryWriter? repository = null;
        var objects = 0;
        var branches = new List<string>();
        var tags = new List<string>();
        var head = "";
        while (Await(call.ResponseStream.MoveNext(StopToken)))
        {
            // Created once the server has answered, so that a refused export (an unknown branch) writes nothing.
            repository ??= BareRepositoryWriter.Create(path, replaceRefs: Force);
            var item = call.ResponseStream.Current;
            switch (item.ItemCase)
            {
                case ExportItem.ItemOneofCase.Object:
                    repository.WriteObject(item.Object.Sha, item.Object.Type, item.Object.Payload.Span);
                    if (++objects == 1 || sinceProgress.Elapsed >= ProgressInterval)
                    {
                        progress.StatusDescription = $"{objects} objects written";
                        WriteProgress(progress);
                        sinceProgress.Restart();
                    }
                    break;
                case ExportItem.ItemOneofCase.Ref:
                    var isTag = item.Ref.Type == "tag";
                    repository.WriteRef(isTag, item.Ref.Name, item.Ref.TargetSha);
                    (isTag ? tags : branches).Add(item.Ref.Name);
                    break;
                case ExportItem.ItemOneofCase.HeadBranch:
                    head = item.HeadBranch;
                    repository.WriteHead(head);
                    break;
            }
        }
        if (objects > 0)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        WriteVerbose($"Wrote {objects} objects, {branches.Count} branches and {tags.Count} tags to {path}");
        return new PgGitExportResult { Path = path, Objects = objects, Branches = [.. branches], Tags = [.. tags], Head = head };
    }
}
