using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace PgGitV0.PowerShell.Tests.Hosting;

/// <summary>
/// A runspace with the recording host that has imported the built module from out/PgGitV0/ by its
/// manifest, the way a user does: Import-Module &lt;repo&gt;/out/PgGitV0/PgGitV0.psd1.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private ModuleSession(RecordingHost host, Runspace runspace)
    {
        Host = host;
        Runspace = runspace;
    }

    public RecordingHost Host { get; }
    public Runspace Runspace { get; }
    public RecordingHostUserInterface UI => Host.Recorder;

    public static string RepoRoot { get; } = FindRepoRoot();
    public static string ModuleFolder => Path.Combine(RepoRoot, "out", "PgGitV0");
    public static string ManifestPath => Path.Combine(ModuleFolder, "PgGitV0.psd1");

    public static ModuleSession Start(bool importModule = true)
    {
        var host = new RecordingHost();
        var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        var session = new ModuleSession(host, runspace);
        if (importModule)
        {
            var import = session.Run("Import-Module $args[0] -ErrorAction Stop", ManifestPath);
            import.ThrowIfFailed();
        }
        return session;
    }

    /// <summary>Runs a script; values in <paramref name="args"/> are $args[0], $args[1], ...</summary>
    public ScriptResult Run(string script, params object?[] args)
    {
        using var shell = Create(script, args);
        var output = new List<PSObject>();
        Exception? terminating = null;
        try
        {
            output.AddRange(shell.Invoke());
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }
        return new ScriptResult(output, [.. shell.Streams.Error], [.. shell.Streams.Warning], [.. shell.Streams.Verbose],
            [.. shell.Streams.Progress], terminating);
    }

    /// <summary>
    /// Runs one command inside try/catch and returns the error it threw: only a terminating error
    /// (ThrowTerminatingError, or -ErrorAction Stop) is caught; a non-terminating one stays in Errors.
    /// </summary>
    public ErrorRecord? Catch(string command, params object?[] args)
    {
        var result = Run($"try {{ {command} }} catch {{ $_ }}", args);
        return result.Output.Select(item => item.BaseObject).OfType<ErrorRecord>().SingleOrDefault();
    }

    /// <summary>
    /// Pipes a command's output to Out-Host and returns the non-empty lines the host showed, after
    /// checking that none is wider than the host's 120 columns.
    /// </summary>
    public List<string> RenderTable(string command, params object?[] args)
    {
        UI.Clear();
        Run($"{command} | Out-Host", args).ThrowIfFailed();
        var lines = UI.Text.Split('\n').Where(line => line.Trim().Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= RecordingRawUserInterface.Width, line));
        return lines;
    }

    /// <summary>A PowerShell instance for this runspace, for tests that start and stop pipelines themselves.</summary>
    public System.Management.Automation.PowerShell Create(string script, params object?[] args)
    {
        var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script);
        foreach (var arg in args) shell.AddArgument(arg);
        return shell;
    }

    public void Dispose() => Runspace.Dispose();

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PgGitV0.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no PgGitV0.sln above {AppContext.BaseDirectory}");
    }
}

public sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<ProgressRecord> Progress,
    Exception? Terminating)
{
    /// <summary>The error records, the terminating one included.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors =>
        Terminating is IContainsErrorRecord { ErrorRecord: { } record } ? [.. Errors, record] : Errors;

    /// <summary>Property <paramref name="name"/> of every output object.</summary>
    public List<object?> Values(string name) => Output.Select(item => item.Properties[name]?.Value).ToList();

    public void ThrowIfFailed()
    {
        if (Terminating is not null || Errors.Count > 0)
        {
            var messages = AllErrors.Select(error => $"{error.FullyQualifiedErrorId}: {error.Exception.Message}");
            throw new InvalidOperationException("script failed: " + string.Join("; ", messages), Terminating);
        }
    }

    public ScriptResult Succeeded()
    {
        ThrowIfFailed();
        return this;
    }
}
