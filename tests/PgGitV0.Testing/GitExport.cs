using Dapper;
using Npgsql;

namespace PgGitV0.Testing;

/// <summary>Copies a database's pggit_v0 objects and refs into a git repository, object by object.</summary>
public static class GitExport
{
    /// <summary>Writes every object with git hash-object and fails if git computes another id.</summary>
    public static async Task WriteObjectsAsync(NpgsqlConnection db, GitRepository git)
    {
        var objects = await db.QueryAsync<(string Sha, string Type)>("SELECT sha, type FROM pggit_v0.objects ORDER BY sha");
        foreach (var (sha, type) in objects)
        {
            var payload = await db.ScalarAsync<byte[]>("SELECT pggit_v0.cat_object(@sha)", new { sha });
            var id = await git.WriteObjectAsync(type, payload);
            if (id != sha) throw new InvalidOperationException($"git computed {id} for our {type} {sha}");
        }
    }

    /// <summary>Objects plus refs/heads/* and refs/tags/* for every ref.</summary>
    public static async Task ExportAsync(NpgsqlConnection db, GitRepository git)
    {
        await WriteObjectsAsync(db, git);
        foreach (var (name, type, target) in await db.QueryAsync<(string, string, string)>("SELECT name, type, target_sha FROM pggit_v0.refs"))
            await git.RunAsync("update-ref", (type == "tag" ? "refs/tags/" : "refs/heads/") + name, target);
    }
}
