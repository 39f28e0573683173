using System.Diagnostics;
using System.Text;

namespace PgGitV0.Testing;

/// <summary>A real git repository (sha256 object format) in a temporary folder: the oracle.</summary>
public sealed class GitRepository : IDisposable
{
    private GitRepository(string path) => Path = path;

    public string Path { get; }

    public static async Task<GitRepository> InitAsync()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pggit-git-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var repository = new GitRepository(path);
        await repository.RunAsync("init", "-q", "--object-format=sha256");
        await repository.RunAsync("config", "user.name", "pggit test");
        await repository.RunAsync("config", "user.email", "test@example.com");
        return repository;
    }

    /// <summary>An existing repository (one a test wrote); disposing it deletes the folder.</summary>
    public static GitRepository Open(string path) => new(path);

    /// <summary>Writes an object with <c>git hash-object -w --literally</c> and returns git's id for it.</summary>
    public async Task<string> WriteObjectAsync(string type, byte[] payload)
        => (await RunAsync(payload, "hash-object", "-t", type, "-w", "--literally", "--stdin")).Trim();

    public Task<string> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    public async Task<string> RunAsync(byte[]? stdin, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["HOME"] = Path;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("git did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    public static IReadOnlyList<string> Lines(string output)
        => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
