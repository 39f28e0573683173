using Dapper;
using Npgsql;
using PgGitV0.Testing;
using static PgGitV0.Sql.Tests.Merging.MergeRepository;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>Merge requests: open, approve (not by their author, as many times as the setting
/// requires), complete (only approved and conflict-free at that moment), close; every step in activity.</summary>
public sealed class MergeRequestTests(MergeRepository repository) : IClassFixture<MergeRepository>
{
    private sealed class Request
    {
        public Guid MrId { get; init; }
        public string Status { get; init; } = null!;
        public bool Conflicts { get; init; }
        public string[] ConflictObjects { get; init; } = null!;
        public int Approvals { get; init; }
        public int RequiredApprovals { get; init; }
        public string[] ApprovedBy { get; init; } = null!;
        public string CreatedBy { get; init; } = null!;
        public string? MergeCommitSha { get; init; }
        public string? MergedBy { get; init; }
        public string? ClosedBy { get; init; }
    }

    private static Task<Request> GetAsync(NpgsqlConnection db, Guid id)
        => db.QuerySingleAsync<Request>("""
            SELECT mr_id AS MrId, status AS Status, conflicts AS Conflicts, conflict_objects AS ConflictObjects, approvals AS Approvals,
                   required_approvals AS RequiredApprovals, approved_by AS ApprovedBy, created_by AS CreatedBy,
                   merge_commit_sha AS MergeCommitSha, merged_by AS MergedBy, closed_by AS ClosedBy
            FROM pggit_v0.get_merge_request(@id)
            """, new { id });

    private static async Task<Guid> CreateAsync(NpgsqlConnection db, string source, string target, string title = "please merge")
        => await db.ScalarAsync<Guid>("SELECT mr_id FROM pggit_v0.create_merge_request(@source, @target, @title, 'why it matters')",
            new { source, target, title });

    private static Task ActAsAsync(NpgsqlConnection db, string actor) => db.ExecuteAsync($"SET pggit.actor = '{actor}'");

    private async Task<(string Target, string Source)> CleanPairAsync(NpgsqlConnection db, string prefix)
    {
        var (target, source) = ($"{prefix}/target", $"{prefix}/source");
        await BranchAsync(db, target, repository.Root);
        await BranchAsync(db, source, repository.Root);
        await CommitAsync(db, target, new() { [$"public/tables/{prefix}_t.sql"] = $"CREATE TABLE public.{prefix}_t (id int);" });
        await CommitAsync(db, source, new() { [$"public/tables/{prefix}_s.sql"] = $"CREATE TABLE public.{prefix}_s (id int);" });
        return (target, source);
    }

    [Fact]
    public async Task The_whole_lifecycle_from_open_to_merged_is_recorded()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await CleanPairAsync(db, "life");
        await ActAsAsync(db, "alice");
        var created = await db.QuerySingleAsync<(Guid Id, string Status, bool Conflicts)>(
            "SELECT * FROM pggit_v0.create_merge_request(@source, @target, 'Add the life table', 'for the life feature', 'bob')", new { source, target });
        Assert.Equal(("open", false), (created.Status, created.Conflicts));
        var opened = await GetAsync(db, created.Id);
        Assert.Equal(("alice", 0, 1), (opened.CreatedBy, opened.Approvals, opened.RequiredApprovals));
        // Created, checked and updated at one instant: nothing reads as checked before it existed.
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT created_at = checked_at AND checked_at = updated_at FROM pggit_v0.merge_requests WHERE id = @id", new { id = created.Id }));

        await ActAsAsync(db, "bob");
        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.approve_merge_request(@id, NULL, 'looks good')", new { id = created.Id }));
        var approved = await GetAsync(db, created.Id);
        Assert.Equal(("approved", 1), (approved.Status, approved.Approvals));
        Assert.Equal(["bob"], approved.ApprovedBy);
        Assert.Contains(created.Id, await db.QueryAsync<Guid>("SELECT mr_id FROM pggit_v0.list_merge_requests('approved', @target)", new { target }));

        await ActAsAsync(db, "carol");
        var (targetTip, sourceTip) = (Tip(db, target), Tip(db, source));
        var merge = await db.ScalarAsync<string>("SELECT pggit_v0.complete_merge_request(@id)", new { id = created.Id });
        Assert.Equal(merge, Tip(db, target));
        Assert.Equal(new[] { targetTip, sourceTip }, await db.ScalarAsync<string[]>("SELECT parent_shas FROM pggit_v0.commit_graph WHERE commit_sha = @merge", new { merge }));
        var merged = await GetAsync(db, created.Id);
        Assert.Equal(("merged", merge, "carol"), (merged.Status, merged.MergeCommitSha, merged.MergedBy));

        Assert.Equal(["merge_request_created", "merge_request_approved", "merge", "merge_request_merged"], await db.QueryAsync<string>("""
            SELECT kind FROM pggit_v0.activity
            WHERE details ->> 'mr_id' = @id OR (kind = 'merge' AND ref_name = @target)
            ORDER BY id
            """, new { id = created.Id.ToString(), target }));
        Assert.Contains("already merged", (await SqlAssert.ThrowsSqlStateAsync("PGC01",
            () => db.ExecuteAsync("SELECT pggit_v0.complete_merge_request(@id)", new { id = created.Id }))).MessageText);
        await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.close_merge_request(@id)", new { id = created.Id }));
        await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, 'dave')", new { id = created.Id }));
    }

    [Fact]
    public async Task Approvals_count_up_to_the_required_number_and_the_author_cannot_approve()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await CleanPairAsync(db, "count");
        await db.ExecuteAsync("SELECT pggit_v0.set_setting('required_approvals', '2')");
        try
        {
            await ActAsAsync(db, "alice");
            var id = await CreateAsync(db, source, target);
            var self = await SqlAssert.ThrowsSqlStateAsync("42501", () => db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, NULL)", new { id }));
            Assert.Contains("alice", self.MessageText);
            await ActAsAsync(db, "bob");
            await SqlAssert.ThrowsSqlStateAsync("42501", () => db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, 'alice')", new { id }));

            await db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, 'bob')", new { id });
            await db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, 'bob', 'still fine')", new { id });
            Assert.Equal(("open", 1, 2), ((await GetAsync(db, id)).Status, (await GetAsync(db, id)).Approvals, (await GetAsync(db, id)).RequiredApprovals));
            var unapproved = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.complete_merge_request(@id)", new { id }));
            Assert.Contains("1 of the 2 approvals", unapproved.MessageText);
            Assert.Equal(repository.Root, (await db.QueryAsync<string>("SELECT parent_shas[1] FROM pggit_v0.commit_graph WHERE commit_sha = pggit_v0.resolve_ref(@target)", new { target })).Single());

            await db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, 'carol')", new { id });
            Assert.Equal(("approved", 2), ((await GetAsync(db, id)).Status, (await GetAsync(db, id)).Approvals));
            var merge = await db.ScalarAsync<string>("SELECT pggit_v0.complete_merge_request(@id)", new { id });
            Assert.Equal(Tip(db, target), merge);
        }
        finally
        {
            await db.ExecuteAsync("SELECT pggit_v0.set_setting('required_approvals', '1')");
        }
    }

    [Fact]
    public async Task A_request_that_conflicts_at_completion_is_refused_with_the_paths()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await repository.ConflictingPairAsync(db, "mrclash");
        await ActAsAsync(db, "alice");
        var id = await CreateAsync(db, source, target);
        var recorded = await GetAsync(db, id);
        Assert.True(recorded.Conflicts);
        Assert.Equal([Orders, Totals], recorded.ConflictObjects);
        await ActAsAsync(db, "bob");
        await db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, NULL)", new { id });
        var targetTip = Tip(db, target);

        var refused = await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.complete_merge_request(@id)", new { id }));

        Assert.Contains(Orders, refused.MessageText);
        Assert.Contains(Totals, refused.MessageText);
        Assert.Equal(targetTip, Tip(db, target));
        Assert.Equal("approved", (await GetAsync(db, id)).Status);
        Assert.Empty(await db.QueryAsync("SELECT * FROM pggit_v0.list_merges(@source, @target, NULL)", new { source, target }));
    }

    [Fact]
    public async Task Closed_requests_stay_closed_and_only_one_request_per_pair_is_active()
    {
        await using var db = await repository.OpenAsync();
        var (target, source) = await CleanPairAsync(db, "close");
        await ActAsAsync(db, "alice");
        var id = await CreateAsync(db, source, target);
        var duplicate = await SqlAssert.ThrowsSqlStateAsync("42710", () => CreateAsync(db, source, target));
        Assert.Contains(id.ToString(), duplicate.MessageText);

        Assert.True(await db.ScalarAsync<bool>("SELECT pggit_v0.close_merge_request(@id)", new { id }));
        Assert.False(await db.ScalarAsync<bool>("SELECT pggit_v0.close_merge_request(@id)", new { id }));
        Assert.Equal(("closed", "alice"), ((await GetAsync(db, id)).Status, (await GetAsync(db, id)).ClosedBy));
        await ActAsAsync(db, "bob");
        await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.approve_merge_request(@id, NULL)", new { id }));
        await SqlAssert.ThrowsSqlStateAsync("PGC01", () => db.ExecuteAsync("SELECT pggit_v0.complete_merge_request(@id)", new { id }));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM pggit_v0.activity WHERE kind = 'merge_request_closed' AND details ->> 'mr_id' = @id",
            new { id = id.ToString() }));

        var reopened = await CreateAsync(db, source, target, "second try");
        Assert.NotEqual(id, reopened);
        var missing = Guid.NewGuid();
        foreach (var call in new[] { "SELECT * FROM pggit_v0.get_merge_request(@missing)", "SELECT pggit_v0.approve_merge_request(@missing, NULL)",
                                     "SELECT pggit_v0.complete_merge_request(@missing)", "SELECT pggit_v0.close_merge_request(@missing)" })
            await SqlAssert.ThrowsSqlStateAsync("P0002", () => db.ExecuteAsync(call, new { missing }));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.create_merge_request(@source, @source, 'self', NULL)", new { source }));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT pggit_v0.create_merge_request(@source, @target, ' ', NULL)", new { source, target }));
    }

    [Fact]
    public async Task Listing_pages_by_the_last_id_seen()
    {
        await using var db = await repository.OpenAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var (target, source) = await CleanPairAsync(db, $"page{i}");
            ids.Add(await CreateAsync(db, source, target));
        }
        var all = (await db.QueryAsync<Guid>("SELECT mr_id FROM pggit_v0.list_merge_requests()")).ToList();
        var start = all.IndexOf(ids[0]);
        Assert.Equal(ids, all.Skip(start).Take(3));
        Assert.Equal(ids[1..], await db.QueryAsync<Guid>("SELECT mr_id FROM pggit_v0.list_merge_requests(p_after_id => @after, p_limit => 2)", new { after = ids[0] }));
        Assert.Equal(ids[2..], await db.QueryAsync<Guid>("SELECT mr_id FROM pggit_v0.list_merge_requests(p_source_branch => 'page2/source')"));
        await SqlAssert.ThrowsSqlStateAsync("22023", () => db.ExecuteAsync("SELECT * FROM pggit_v0.list_merge_requests('pending')"));
    }
}
