using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>The SQL behind BranchService.</summary>
public sealed class BranchStore(PgGitDatabase database)
{
    public Task<IReadOnlyList<BranchRow>> ListBranchesAsync(CallIdentity identity, string? afterName, int limit, CancellationToken cancellationToken)
        => database.QueryAsync<BranchRow>(identity, "SELECT * FROM pggit_v0.list_branches_after(@afterName, @limit)",
            new { afterName, limit }, cancellationToken);
}
