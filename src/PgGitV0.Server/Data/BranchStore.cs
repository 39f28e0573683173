using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>The SQL behind BranchService: branches and tags, each method one pggit_v0 function call.</summary>
public sealed class BranchStore(PgGitDatabase database)
{
    public Task<IReadOnlyList<BranchRow>> ListBranchesAsync(CallIdentity identity, string? afterName, int limit, CancellationToken cancellationToken)
        => database.QueryAsync<BranchRow>(identity, "SELECT * FROM pggit_v0.list_branches_after(@afterName, @limit)",
            new { afterName, limit }, cancellationToken);

    /// <summary>pggit_v0.create_branch, then the new branch as list_branches_after shows it.</summary>
    public async Task<BranchRow> CreateBranchAsync(CallIdentity identity, string name, string? fromRef, CancellationToken cancellationToken)
    {
        await database.WriteAsync<string>(identity, "SELECT pggit_v0.create_branch(@name, @fromRef)", new { name, fromRef }, cancellationToken);
        return await GetBranchAsync(identity, name, cancellationToken);
    }

    /// <summary>pggit_v0.delete_branch; returns the sha the branch pointed at.</summary>
    public async Task<string> DeleteBranchAsync(CallIdentity identity, string name, bool force, CancellationToken cancellationToken)
    {
        // The subquery reads refs in the statement's snapshot, taken before delete_branch ran: the tip it deleted.
        var (rows, _) = await database.WriteAsync<string>(identity, """
            SELECT (SELECT r.target_sha FROM pggit_v0.refs r WHERE r.name = @name AND r.type = 'branch')
            FROM pggit_v0.delete_branch(@name, @force)
            """, new { name, force }, cancellationToken);
        return rows.Single();
    }

    /// <summary>pggit_v0.restore_branch, then the restored branch.</summary>
    public async Task<BranchRow> RestoreBranchAsync(CallIdentity identity, string name, CancellationToken cancellationToken)
    {
        await database.WriteAsync<string>(identity, "SELECT pggit_v0.restore_branch(@name)", new { name }, cancellationToken);
        return await GetBranchAsync(identity, name, cancellationToken);
    }

    private async Task<BranchRow> GetBranchAsync(CallIdentity identity, string name, CancellationToken cancellationToken)
        => (await database.QueryAsync<BranchRow>(identity,
            "SELECT * FROM pggit_v0.list_branches_after(NULL, NULL) WHERE branch_name = @name", new { name }, cancellationToken)).Single();

    public Task<IReadOnlyList<TagRow>> ListTagsAsync(CallIdentity identity, string? afterName, int limit, CancellationToken cancellationToken)
        => database.QueryAsync<TagRow>(identity, """
            SELECT * FROM pggit_v0.list_tags_after(@afterName, @limit)
            """, new { afterName, limit }, cancellationToken);

    /// <summary>pggit_v0.create_tag, then the new tag as list_tags shows it.</summary>
    public async Task<TagRow> CreateTagAsync(CallIdentity identity, string name, string? reference, string? message, CancellationToken cancellationToken)
    {
        await database.WriteAsync<string>(identity, "SELECT pggit_v0.create_tag(@name, @reference, @message)",
            new { name, reference, message }, cancellationToken);
        return (await database.QueryAsync<TagRow>(identity, "SELECT * FROM pggit_v0.list_tags_after(NULL, NULL) WHERE tag_name = @name",
            new { name }, cancellationToken)).Single();
    }

    /// <summary>pggit_v0.delete_tag; returns the sha the tag pointed at.</summary>
    public async Task<string> DeleteTagAsync(CallIdentity identity, string name, CancellationToken cancellationToken)
    {
        var (rows, _) = await database.WriteAsync<string>(identity, """
            SELECT (SELECT r.target_sha FROM pggit_v0.refs r WHERE r.name = @name AND r.type = 'tag')
            FROM pggit_v0.delete_tag(@name)
            """, new { name }, cancellationToken);
        return rows.Single();
    }
}
