using Dapper;
using Npgsql;
using PgGitV0.Testing;
using static PgGitV0.Sql.Tests.Merging.MergeRepository;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>rebase_branch and cherry_pick beyond what git decides: authorship, ref_log, dropped
/// commits, conflicts that leave nothing behind, progress.</summary>
public sealed class RebaseAndCherryPickTests(MergeRepository repository) : IClassFixture<MergeRepository>
{
    private sealed class Rebase
    {
        public string? RebasedCommitSha { get; init; }
        public bool Conflicts { get; init; }
        public string[] ConflictObjects { get; init; } = null!;
        public string? ConflictCommitSha { get; init; }
        public int ReplayedCommits { get; init; }
        public int DroppedCommits { get; init; }
        public string OldTipSha { get; init; } = null!;
    }

    private static async Task<Rebase> RebaseAsync(NpgsqlConnection db, string branch, string? onto)
        => await db.QuerySingleAsync<Rebase>("""
            SELECT rebased_commit_sha AS RebasedCommitSha, conflicts AS Conflicts, conflict_objects AS ConflictObjects,
                   conflict_commit_sha AS ConflictCommitSha, replayed_commits AS ReplayedCommits, dropped_commits AS DroppedCommits, old_tip_sha AS OldTipSha
            FROM pggit_v0.rebase_branch_detailed(@branch, @onto)
            """, new { branch, onto });

    private sealed class Commit
    {
        public string Author { get; init; } = null!;
        public string AuthorEmail { get; init; } = null!;
        public DateTime AuthoredAt { get; init; }
        public string Committer { get; init; } = null!;
        public string Message { get; init; } = null!;
        public string[] ParentShas { get; init; } = null!;
        public string TreeSha { get; init; } = null!;
    }

    private static Task<Commit> CommitInfoAsync(NpgsqlConnection db, string sha)
        => db.QuerySingleAsync<Commit>("""
            SELECT author AS Author, author_email AS AuthorEmail, authored_at AS AuthoredAt, committer AS Committer, message AS Message,
                   parent_shas AS ParentShas, tree_sha AS TreeSha
            FROM pggit_v0.commit_graph WHERE commit_sha = @sha
            """, new { sha });

    [Fact]
    public async Task Rebase_replays_each_commit_with_its_author_time_and_message_and_keeps_the_old_tip_in_ref_log()
    {
        await using var db = await repository.OpenAsync();
        await db.ExecuteAsync("SET pggit.actor = 'rebaser'");
        await BranchAsync(db, "rb/onto", repository.Root);
        await BranchAsync(db, "rb/branch", repository.Root);
        await CommitAsync(db, "rb/onto", new() { [Orders] = OrdersDdl.Replace("id bigint NOT NULL", "id bigint GENERATED ALWAYS AS IDENTITY") }, "upstream", "Una <una@example.com>");
        var originals = new List<string>
        {
            await CommitAsync(db, "rb/branch", new() { ["public/tables/a.sql"] = "CREATE TABLE public.a (id int);" }, "add a", "Bea <bea@example.com>"),
            await CommitAsync(db, "rb/branch", new() { [Orders] = OrdersDdl.Replace("placed date", "placed timestamptz") }, "placed is a time\n\nwith a body", "Cal <cal@example.com>"),
            await CommitAsync(db, "rb/branch", new() { [Totals] = null }, "drop totals", "Bea <bea@example.com>"),
        };
        var (oldTip, onto) = (originals[^1], Tip(db, "rb/onto"));

        var rebase = await RebaseAsync(db, "rb/branch", "rb/onto");

        Assert.Equal((false, 3, 0, oldTip), (rebase.Conflicts, rebase.ReplayedCommits, rebase.DroppedCommits, rebase.OldTipSha));
        Assert.Equal(rebase.RebasedCommitSha, Tip(db, "rb/branch"));
        var sha = rebase.RebasedCommitSha!;
        foreach (var original in Enumerable.Reverse(originals))
        {
            var (replayed, before) = (await CommitInfoAsync(db, sha), await CommitInfoAsync(db, original));
            Assert.NotEqual(original, sha);
            Assert.Equal((before.Author, before.AuthorEmail, before.AuthoredAt, before.Message), (replayed.Author, replayed.AuthorEmail, replayed.AuthoredAt, replayed.Message));
            Assert.Equal("rebaser", replayed.Committer);
            sha = Assert.Single(replayed.ParentShas);
        }
        Assert.Equal(onto, sha);
        Assert.Equal(OrdersDdl.Replace("id bigint NOT NULL", "id bigint GENERATED ALWAYS AS IDENTITY").Replace("placed date", "placed timestamptz"),
            await FileAsync(db, "rb/branch", Orders));
        Assert.Equal((oldTip, rebase.RebasedCommitSha, "rebase"), await db.QuerySingleAsync<(string, string, string)>(
            "SELECT old_sha, new_sha, reason FROM pggit_v0.ref_log WHERE ref_name = 'rb/branch' ORDER BY id DESC LIMIT 1"));

        var again = await RebaseAsync(db, "rb/branch", "rb/onto");
        Assert.Equal((rebase.RebasedCommitSha, 0), (again.RebasedCommitSha, again.ReplayedCommits));
    }

    [Fact]
    public async Task A_conflict_stops_the_rebase_at_its_commit_and_leaves_nothing_behind()
    {
        await using var db = await repository.OpenAsync();
        await BranchAsync(db, "rc/onto", repository.Root);
        await BranchAsync(db, "rc/branch", repository.Root);
        await CommitAsync(db, "rc/onto", new() { [Orders] = OrdersDdl.Replace("amount numeric", "amount money") });
        await CommitAsync(db, "rc/branch", new() { ["public/tables/b.sql"] = "CREATE TABLE public.b (id int);" }, "clean one");
        var conflicting = await CommitAsync(db, "rc/branch", new() { [Orders] = OrdersDdl.Replace("amount numeric", "amount real") }, "conflicting one");
        var notices = new List<string>();
        db.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        var before = await CountsAsync(db);

        var rebase = await RebaseAsync(db, "rc/branch", "rc/onto");

        Assert.Equal(((string?)null, true, conflicting), (rebase.RebasedCommitSha, rebase.Conflicts, rebase.ConflictCommitSha));
        Assert.Equal([Orders], rebase.ConflictObjects);
        Assert.Equal(before, await CountsAsync(db));
        Assert.Equal(conflicting, Tip(db, "rc/branch"));
        Assert.Contains(notices, n => n.Contains(conflicting) && n.Contains(Orders));
        Assert.Equal(((string?)null, true), await db.QuerySingleAsync<(string?, bool)>("SELECT rebased_commit_sha, conflicts FROM pggit_v0.rebase_branch('rc/branch', 'rc/onto')"));
    }

    [Fact]
    public async Task Changes_already_upstream_are_dropped_and_long_rebases_report_progress()
    {
        await using var db = await repository.OpenAsync();
        await BranchAsync(db, "rd/onto", repository.Root);
        await BranchAsync(db, "rd/branch", repository.Root);
        var shared = new Dictionary<string, string?> { [Orders] = OrdersDdl.Replace("note text", "note citext") };
        await CommitAsync(db, "rd/onto", shared, "upstream has it");
        await CommitAsync(db, "rd/branch", new() { ["public/tables/c.sql"] = "CREATE TABLE public.c (id int);" }, "first");
        await CommitAsync(db, "rd/branch", shared, "same change as upstream");
        await CommitAsync(db, "rd/branch", new() { ["public/tables/d.sql"] = "CREATE TABLE public.d (id int);" }, "third");
        var notices = new List<string>();
        db.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        await db.ExecuteAsync("SET pggit.progress = 'on'");

        var rebase = await RebaseAsync(db, "rd/branch", "rd/onto");

        Assert.Equal((2, 1), (rebase.ReplayedCommits, rebase.DroppedCommits));
        Assert.Equal(["pggit progress: rebase rd/branch 1/3", "pggit progress: rebase rd/branch 2/3", "pggit progress: rebase rd/branch 3/3"],
            notices.Where(n => n.StartsWith("pggit progress")));
        Assert.Equal(["third", "first"], await db.QueryAsync<string>("""
            SELECT message FROM pggit_v0.commit_graph WHERE commit_sha IN (pggit_v0.resolve_ref('rd/branch'), pggit_v0.resolve_ref('rd/branch~1'))
            ORDER BY fp_depth DESC
            """));
        await db.ExecuteAsync("RESET pggit.progress");
    }

    [Fact]
    public async Task Rebase_onto_the_default_branch_by_default_and_a_branch_behind_it_fast_forwards()
    {
        await using var db = await repository.OpenAsync();
        await BranchAsync(db, "re/behind", repository.Root);
        await BranchAsync(db, "re/ahead", repository.Root);
        await CommitAsync(db, "re/ahead", new() { ["public/tables/e.sql"] = "CREATE TABLE public.e (id int);" });
        var upstream = await db.ScalarAsync<string>("""
            SELECT pggit_v0.commit_tree(pggit_v0.write_tree(tree_sha, '{"public/tables/m.sql": "CREATE TABLE public.m (id int);"}'), ARRAY[commit_sha], 'main moves')
            FROM pggit_v0.commit_graph WHERE commit_sha = @root
            """, new { root = repository.Root });
        await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @upstream, @root)", new { upstream, root = repository.Root });
        try
        {
            var ahead = await RebaseAsync(db, "re/ahead", null);
            Assert.Equal(upstream, (await CommitInfoAsync(db, ahead.RebasedCommitSha!)).ParentShas.Single());
            var behind = await RebaseAsync(db, "re/behind", null);
            Assert.Equal((upstream, 0), (behind.RebasedCommitSha, behind.ReplayedCommits));
            Assert.Equal((repository.Root, upstream), await db.QuerySingleAsync<(string, string)>(
                "SELECT old_sha, new_sha FROM pggit_v0.ref_log WHERE ref_name = 're/behind' ORDER BY id DESC LIMIT 1"));
        }
        finally
        {
            await db.ExecuteAsync("SELECT pggit_v0.update_ref('main', @root, @upstream)", new { upstream, root = repository.Root });
        }
    }

    [Fact]
    public async Task Cherry_pick_copies_one_commit_with_its_author_and_writes_nothing_on_conflict()
    {
        await using var db = await repository.OpenAsync();
        await db.ExecuteAsync("SET pggit.actor = 'picker'");
        await BranchAsync(db, "cp/from", repository.Root);
        await BranchAsync(db, "cp/to", repository.Root);
        await CommitAsync(db, "cp/from", new() { ["public/tables/f.sql"] = "CREATE TABLE public.f (id int);" }, "not picked");
        var picked = await CommitAsync(db, "cp/from", new() { [Orders] = OrdersDdl.Replace("note text", "note jsonb") }, "pick me", "Pia <pia@example.com>");
        var toTip = Tip(db, "cp/to");

        var result = await db.QuerySingleAsync<(string Sha, bool Conflicts, string[] Paths)>("SELECT * FROM pggit_v0.cherry_pick(@picked, 'cp/to')", new { picked });

        Assert.False(result.Conflicts);
        var (copy, original) = (await CommitInfoAsync(db, result.Sha), await CommitInfoAsync(db, picked));
        Assert.Equal((original.Author, original.AuthorEmail, original.AuthoredAt, original.Message, "picker"),
            (copy.Author, copy.AuthorEmail, copy.AuthoredAt, copy.Message, copy.Committer));
        Assert.Equal([toTip], copy.ParentShas);
        Assert.Null(await FileAsync(db, "cp/to", "public/tables/f.sql"));   // only the picked commit's change
        Assert.Equal(OrdersDdl.Replace("note text", "note jsonb"), await FileAsync(db, "cp/to", Orders));
        Assert.Equal("cherry_pick", await db.ScalarAsync<string>("SELECT reason FROM pggit_v0.ref_log WHERE ref_name = 'cp/to' ORDER BY id DESC LIMIT 1"));

        // Picking it again changes nothing; a conflicting pick writes nothing.
        Assert.Equal((result.Sha, false), await db.QuerySingleAsync<(string, bool)>("SELECT new_commit_sha, conflicts FROM pggit_v0.cherry_pick(@picked, 'cp/to')", new { picked }));
        await BranchAsync(db, "cp/clash", repository.Root);
        await CommitAsync(db, "cp/clash", new() { [Orders] = OrdersDdl.Replace("note text", "note xml") });
        var before = await CountsAsync(db);
        var clash = await db.QuerySingleAsync<(string? Sha, bool Conflicts, string[] Paths)>("SELECT * FROM pggit_v0.cherry_pick(@picked, 'cp/clash')", new { picked });
        Assert.Equal(((string?)null, true), (clash.Sha, clash.Conflicts));
        Assert.Equal([Orders], clash.Paths);
        Assert.Equal(before, await CountsAsync(db));
    }
}
