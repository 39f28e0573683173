using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using PgGitV0.Testing;

namespace PgGitV0.Benchmarks;

/// <summary>Exports a benchmark history to a git repository for the git side of the ratios.</summary>
public static class FastExport
{
    /// <summary>Every object as a loose git object (a process per object would take hours at this size).</summary>
    public static async Task ExportAsync(NpgsqlConnection db, GitRepository git)
    {
        var root = Path.Combine(git.Path, ".git", "objects");
        await using (var reader = await db.ExecuteReaderAsync("SELECT sha, type, pggit_v0.cat_object(sha) FROM pggit_v0.objects", commandTimeout: 0))
        {
            while (await reader.ReadAsync())
            {
                var (sha, type, payload) = (reader.GetString(0), reader.GetString(1), (byte[])reader[2]);
                var content = Encoding.ASCII.GetBytes($"{type} {payload.Length}\0").Concat(payload).ToArray();
                if (Convert.ToHexStringLower(SHA256.HashData(content)) != sha) throw new InvalidOperationException($"git would name {type} {sha} differently");
                Directory.CreateDirectory(Path.Combine(root, sha[..2]));
                await using var file = File.Create(Path.Combine(root, sha[..2], sha[2..]));
                await using var zlib = new ZLibStream(file, CompressionLevel.Fastest);
                await zlib.WriteAsync(content);
            }
        }
        var refs = await db.QueryAsync<(string Name, string Sha)>("SELECT name, target_sha FROM pggit_v0.refs WHERE type = 'branch'");
        await git.RunAsync(Encoding.ASCII.GetBytes(string.Concat(refs.Select(r => $"update refs/heads/{r.Name} {r.Sha}\n"))), "update-ref", "--stdin");
        // Packed, with a commit-graph, as a repository that has seen git gc (git walks loose
        // objects many times slower).
        await git.RunAsync("gc", "-q");
        await git.RunAsync("commit-graph", "write", "--reachable");
    }
}
