using Dapper;
using Npgsql;
using PgGitV0.Testing;
using Xunit.Abstractions;

namespace PgGitV0.Sql.Tests.Merging;

/// <summary>Every scenario built once with the plumbing and exported to a sha256 git repository (with a work tree).</summary>
public sealed class ScenarioRepository : IAsyncLifetime
{
    private int _minute;

    public TestDatabase Db { get; private set; } = null!;
    public GitRepository Git { get; private set; } = null!;
    public Dictionary<string, (string Target, string Source)> Tips { get; } = new();

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateAsync();
        Git = await GitRepository.InitAsync();
        await using var db = await Db.OpenAsync();
        foreach (var scenario in MergeScenarios.All)
            Tips[scenario.Name] = await MergeScenarios.BuildAsync(db, scenario,
                () => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(++_minute));
        await GitOracle.ExportObjectsAsync(db, Git);
        await GitOracle.WriteRefsAsync(Git, Tips.SelectMany(t => new[] { ($"{t.Key}/target", t.Value.Target), ($"{t.Key}/source", t.Value.Source) }));
    }

    public async Task DisposeAsync()
    {
        Git.Dispose();
        await Db.DisposeAsync();
    }
}

/// <summary>
/// git as the oracle, scenario by scenario: merge_branch against git merge-tree, rebase_branch
/// against git rebase, cherry_pick against git cherry-pick (git 2.39, merge-ort). Clean results
/// must have git's tree id; conflicts must be on exactly git's paths.
/// </summary>
public sealed class GitOracleTests(ScenarioRepository repository, ITestOutputHelper output) : IClassFixture<ScenarioRepository>
{
    [Fact]
    public async Task At_least_sixty_scenarios_cover_every_shape_of_merge()
    {
        Assert.True(MergeScenarios.All.Count >= 60);
        await using var db = await repository.Db.OpenAsync();
        var shapes = new Dictionary<string, int>();
        foreach (var (name, (target, source)) in repository.Tips)
        {
            var git = await GitOracle.MergeTreeAsync(repository.Git, target, source);
            var kinds = (await db.QueryAsync<string>("""
                SELECT coalesce(p.conflict_type, CASE WHEN p.ours_sha IS DISTINCT FROM p.base_sha AND p.theirs_sha IS DISTINCT FROM p.base_sha
                    AND p.ours_sha IS DISTINCT FROM p.theirs_sha THEN 'line-level merge' END)
                FROM pggit_v0._merge_bases(@target, @source) b, pggit_v0._merge_commits(@target, @source, b, 't', 's') p
                WHERE @target <> ALL (b) AND @source <> ALL (b)
                """, new { target, source })).OfType<string>()
                .Append(git.Clean ? "clean merge" : "conflicted merge");
            var scenario = MergeScenarios.Get(name);
            if (scenario.Target.Count == 0) kinds = ["fast-forward"];
            if (scenario.Source.Count == 0) kinds = ["already merged"];
            foreach (var kind in kinds.Distinct()) shapes[kind] = shapes.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine(string.Join(", ", shapes.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(shapes["clean merge"] >= 20 && shapes["conflicted merge"] >= 20);
        Assert.True(shapes["line-level merge"] >= 10);
        foreach (var kind in new[] { "modify/modify", "modify/delete", "delete/modify", "add/add", "fast-forward", "already merged" })
            Assert.True(shapes.GetValueOrDefault(kind) >= 1, $"no scenario has a {kind}");
    }

    [Theory]
    [MemberData(nameof(MergeScenarios.Names), MemberType = typeof(MergeScenarios))]
    public async Task Merge_branch_agrees_with_git_merge_tree(string name)
    {
        var (targetTip, sourceTip) = repository.Tips[name];
        var (target, source) = ($"{name}/target", $"{name}/source");
        var git = await GitOracle.MergeTreeAsync(repository.Git, targetTip, sourceTip);
        await using var db = await repository.Db.OpenAsync();

        var predicted = (await db.QueryAsync<string>("SELECT object_path FROM pggit_v0.detect_merge_conflicts(@source, @target)",
            new { source, target })).ToList();
        var merged = await db.QuerySingleAsync<(string? Sha, bool Conflicts, string[] Paths)>(
            "SELECT * FROM pggit_v0.merge_branch(@source, @target)", new { source, target });

        Assert.Equal(git.Conflicts, predicted);
        if (!git.Clean)
        {
            Assert.True(merged.Conflicts);
            Assert.Null(merged.Sha);
            Assert.Equal(git.Conflicts, merged.Paths);
            Assert.Equal(targetTip, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@target)", new { target }));
            return;
        }
        Assert.False(merged.Conflicts);
        Assert.Empty(merged.Paths);
        Assert.Equal(merged.Sha, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@target)", new { target }));
        Assert.Equal(git.Tree, await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha = merged.Sha }));
        var commit = await db.QuerySingleAsync<(string[] Parents, string Message)>(
            "SELECT parent_shas, message FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha = merged.Sha });
        var scenario = MergeScenarios.Get(name);
        if (scenario.Target.Count == 0)
            Assert.Equal(sourceTip, merged.Sha);                      // fast-forward: no merge commit
        else if (scenario.Source.Count == 0)
            Assert.Equal(targetTip, merged.Sha);                      // already merged: nothing written
        else
        {
            Assert.Equal(new[] { targetTip, sourceTip }, commit.Parents);     // one merge commit, target first
            Assert.Equal($"Merge branch '{source}' into '{target}'", commit.Message);
        }
    }

    [Theory]
    [MemberData(nameof(MergeScenarios.Names), MemberType = typeof(MergeScenarios))]
    public async Task Rebase_branch_agrees_with_git_rebase(string name)
    {
        var (targetTip, sourceTip) = repository.Tips[name];
        var git = repository.Git;
        await GitOracle.RunAsync(git, "reset", "-q", "--hard");
        await GitOracle.RunAsync(git, "checkout", "-q", "-f", "--detach", sourceTip);
        var rebase = await GitOracle.RunAsync(git, "rebase", targetTip);
        IReadOnlyList<string> gitConflicts = [];
        string? gitStoppedAt = null, gitTree = null;
        IReadOnlyList<string> gitLog = [];
        if (rebase.ExitCode == 0)
        {
            gitTree = (await GitOracle.RunAsync(git, "rev-parse", "HEAD^{tree}")).Stdout.Trim();
            gitLog = (await GitOracle.RunAsync(git, "log", "--reverse", "--format=%an <%ae> %at %B%x1e", $"{targetTip}..HEAD"))
                .Stdout.Split('\x1e').Select(s => s.Trim()).Where(s => s != "").ToList();
        }
        else
        {
            gitConflicts = await GitOracle.UnmergedPathsAsync(git);
            gitStoppedAt = (await GitOracle.RunAsync(git, "rev-parse", "REBASE_HEAD")).Stdout.Trim();
            await GitOracle.RunAsync(git, "rebase", "--abort");
        }

        await using var db = await repository.Db.OpenAsync();
        var branch = $"{name}/rebase";
        await db.ExecuteAsync("SELECT pggit_v0.create_branch(@branch, @sourceTip)", new { branch, sourceTip });
        var ours = await db.QuerySingleAsync<(string? Sha, bool Conflicts, string[] Paths, string? StoppedAt)>(
            "SELECT rebased_commit_sha, conflicts, conflict_objects, conflict_commit_sha FROM pggit_v0.rebase_branch_detailed(@branch, @targetTip)",
            new { branch, targetTip });

        Assert.Equal(rebase.ExitCode != 0, ours.Conflicts);
        if (ours.Conflicts)
        {
            Assert.Equal(gitConflicts, ours.Paths);
            Assert.Equal(gitStoppedAt, ours.StoppedAt);
            Assert.Equal(sourceTip, await db.ScalarAsync<string>("SELECT pggit_v0.resolve_ref(@branch)", new { branch }));
            return;
        }
        Assert.Equal(gitTree, await db.ScalarAsync<string>("SELECT tree_sha FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha = ours.Sha }));
        var ourLog = (await db.QueryAsync<string>("""
            WITH RECURSIVE line AS (
                SELECT commit_sha, parent_shas, fp_depth FROM pggit_v0.commit_graph WHERE commit_sha = @tip AND @tip <> @targetTip
                UNION ALL
                SELECT g.commit_sha, g.parent_shas, g.fp_depth FROM line l JOIN pggit_v0.commit_graph g ON g.commit_sha = l.parent_shas[1]
                WHERE g.commit_sha <> @targetTip AND pggit_v0._on_first_parent_line(g.commit_sha, @targetTip) IS NOT TRUE)
            SELECT format('%s <%s> %s %s', g.author, g.author_email, extract(epoch FROM g.authored_at)::bigint, g.message)
            FROM line l JOIN pggit_v0.commit_graph g USING (commit_sha) ORDER BY l.fp_depth
            """, new { tip = ours.Sha, targetTip })).ToList();
        Assert.Equal(gitLog, ourLog);   // commit count, authors, author times and messages
    }

    [Theory]
    [MemberData(nameof(MergeScenarios.Names), MemberType = typeof(MergeScenarios))]
    public async Task Cherry_pick_agrees_with_git_cherry_pick(string name)
    {
        var (targetTip, sourceTip) = repository.Tips[name];
        var git = repository.Git;
        await GitOracle.RunAsync(git, "reset", "-q", "--hard");
        await GitOracle.RunAsync(git, "checkout", "-q", "-f", "--detach", targetTip);
        var pick = await GitOracle.RunAsync(git, "cherry-pick", sourceTip);
        string? gitTree = null;
        IReadOnlyList<string> gitConflicts = [];
        if (pick.ExitCode == 0)
            gitTree = (await GitOracle.RunAsync(git, "rev-parse", "HEAD^{tree}")).Stdout.Trim();
        else
        {
            gitConflicts = await GitOracle.UnmergedPathsAsync(git);
            await GitOracle.RunAsync(git, "cherry-pick", "--abort");
        }

        await using var db = await repository.Db.OpenAsync();
        var branch = $"{name}/pick";
        await db.ExecuteAsync("SELECT pggit_v0.create_branch(@branch, @targetTip)", new { branch, targetTip });
        var ours = await db.QuerySingleAsync<(string? Sha, bool Conflicts, string[] Paths)>(
            "SELECT * FROM pggit_v0.cherry_pick(@sourceTip, @branch)", new { sourceTip, branch });

        if (pick.ExitCode != 0 && gitConflicts.Count == 0)
        {
            // git stops on a pick that changes nothing (it needs --allow-empty); we write nothing.
            Assert.False(ours.Conflicts);
            Assert.Equal(targetTip, ours.Sha);
            return;
        }
        Assert.Equal(gitConflicts, ours.Paths);
        Assert.Equal(pick.ExitCode != 0, ours.Conflicts);
        if (ours.Conflicts) return;
        var commit = await db.QuerySingleAsync<(string Tree, string Author, string Message)>(
            "SELECT tree_sha, format('%s <%s>', author, author_email), message FROM pggit_v0.commit_graph WHERE commit_sha = @sha", new { sha = ours.Sha });
        var original = await db.QuerySingleAsync<(string Author, string Message)>(
            "SELECT format('%s <%s>', author, author_email), message FROM pggit_v0.commit_graph WHERE commit_sha = @sourceTip", new { sourceTip });
        Assert.Equal(gitTree, commit.Tree);
        Assert.Equal(original, (commit.Author, commit.Message));
    }
}
