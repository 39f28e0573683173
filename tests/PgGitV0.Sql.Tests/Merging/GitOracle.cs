using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>
/// git as the oracle for merges: a fast export (every object written as a loose object, its id
/// checked) and git commands whose exit code matters (merge-tree, rebase and cherry-pick exit 1 on
/// conflicts, which <see cref="GitRepository.RunAsync(string[])"/> treats as failure).
/// </summary>
public static class GitOracle
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public IReadOnlyList<string> Lines => GitRepository.Lines(Stdout);
    }

    /// <summary>Runs git in the repository; exit codes above 1 are failures.</summary>
    public static async Task<Result> RunAsync(GitRepository git, params string[] arguments)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = git.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-c", "advice.detachedHead=false", "-c", "core.autocrlf=false" }.Concat(arguments))
            info.ArgumentList.Add(a);
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["HOME"] = git.Path;
        info.Environment["GIT_EDITOR"] = "true";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("git did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var result = new Result(process.ExitCode, await stdout, await stderr);
        if (result.ExitCode > 1)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
        return result;
    }

    /// <summary>Writes every pggit object into the repository as a loose object, failing if git's id would differ.</summary>
    public static async Task ExportObjectsAsync(NpgsqlConnection db, GitRepository git)
    {
        var objects = await db.QueryAsync<(string Sha, string Type, byte[] Payload)>(
            "SELECT sha, type, pggit_v0.cat_object(sha) FROM pggit_v0.objects");
        var root = Path.Combine(git.Path, ".git", "objects");
        foreach (var (sha, type, payload) in objects)
        {
            var header = Encoding.ASCII.GetBytes($"{type} {payload.Length}\0");
            var content = header.Concat(payload).ToArray();
            var id = Convert.ToHexStringLower(SHA256.HashData(content));
            if (id != sha) throw new InvalidOperationException($"git would name our {type} {sha} {id}");
            var folder = Path.Combine(root, sha[..2]);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, sha[2..]);
            if (File.Exists(file)) continue;
            await using var output = File.Create(file);
            await using var zlib = new ZLibStream(output, CompressionLevel.Fastest);
            await zlib.WriteAsync(content);
        }
    }

    /// <summary>Points refs/heads/&lt;name&gt; at each sha, in one git process.</summary>
    public static async Task WriteRefsAsync(GitRepository git, IEnumerable<(string Name, string Sha)> refs)
    {
        var script = string.Concat(refs.Select(r => $"update refs/heads/{r.Name} {r.Sha}\n"));
        await git.RunAsync(Encoding.ASCII.GetBytes(script), "update-ref", "--stdin");
    }

    /// <summary>git merge-tree --write-tree: the merged tree id (clean) or the conflicted paths.</summary>
    public static async Task<(bool Clean, string Tree, IReadOnlyList<string> Conflicts)> MergeTreeAsync(GitRepository git, string target, string source)
    {
        var result = await RunAsync(git, "merge-tree", "--write-tree", "--no-messages", "--name-only", target, source);
        var lines = result.Lines;
        return (result.ExitCode == 0, lines[0], lines.Skip(1).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The paths git left unmerged in the index after a stopped rebase or cherry-pick.</summary>
    public static async Task<IReadOnlyList<string>> UnmergedPathsAsync(GitRepository git)
        => (await RunAsync(git, "diff", "--name-only", "--diff-filter=U")).Lines.Order(StringComparer.Ordinal).ToList();
}
