using Npgsql;
using PgGitV0.Server.Tests.Infrastructure;
using PgGitV0.Testing;

namespace PgGitV0.Server.Tests;

/// <summary>
/// The spec's section 4.1 functions of sql/pggit_v0_developers.sql called as the spec writes them,
/// on a history where one view goes A → B → A (its current version was introduced by the last change).
/// </summary>
public sealed class DeveloperFunctionTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private string _root = "";
    private List<string> _line = [];

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _root = await History.StartAsync(_db, "feature");
        await _db.ExecuteAsync("CREATE FUNCTION public.calc(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b'");
        var second = await _db.ScalarAsync<string>("SELECT pggit_v0.commit('overload calc', 'bob <bob@example.com>')");
        var viewPath = "public/views/big_orders.sql";
        var original = await _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'big_orders')");
        await _db.ExecuteAsync("SELECT pggit_v0.create_branch('side')");
        await History.CommitAsync(_db, "side", new Dictionary<string, string?> { [viewPath] = "CREATE VIEW public.big_orders AS SELECT 1 AS id;" }, "B", "carol");
        await History.CommitAsync(_db, "side", new Dictionary<string, string?> { [viewPath] = original }, "back to A", "dave");
        _line = [second, _root];
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task get_commit_history_runs_as_the_spec_writes_it_newest_first_on_the_checked_out_branch()
    {
        var all = await _db.QueryAsync<(string CommitSha, string Author, string Message, DateTime CommittedAt, string[] ParentShas)>(
            "SELECT * FROM pggit_v0.get_commit_history()");
        Assert.Equal(_line, all.Select(c => c.CommitSha));
        Assert.Equal(("bob", "overload calc"), (all[0].Author, all[0].Message));
        Assert.Equal([_root], all[0].ParentShas);
        Assert.Empty(all[1].ParentShas);

        Assert.Equal([_line[0]], await _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history(1)"));
        Assert.Equal([_root], await _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history(10, 1)"));
        Assert.Empty(await _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history(10, 5)"));
        Assert.Equal([_root], await _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history_after(@after)", new { after = _line[0] }));
        Assert.Empty(await _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history_after(@after, 5)", new { after = _root }));
        Assert.Contains("first-parent", await _db.ScalarAsync<string>("SELECT obj_description('pggit_v0.get_commit_history(int, int)'::regprocedure)"));

        var negative = await Assert.ThrowsAsync<PostgresException>(() => _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history(-1)"));
        Assert.Equal("22023", negative.SqlState);
        var unknown = await Assert.ThrowsAsync<PostgresException>(() => _db.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history_after(repeat('a', 64))"));
        Assert.Equal("P0002", unknown.SqlState);
    }

    [Fact]
    public async Task get_commit_history_is_empty_before_the_first_commit()
    {
        await using var empty = await TestDatabase.CreateAsync();
        Assert.Empty(await empty.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.get_commit_history()"));
        Assert.Empty(await empty.QueryAsync<string>("SELECT object_name FROM pggit_v0.list_objects()"));
        Assert.Empty(await empty.QueryAsync<string>("SELECT branch_name FROM pggit_v0.list_branches()"));
    }

    [Fact]
    public async Task list_objects_says_when_and_by_whom_each_current_version_was_introduced()
    {
        var objects = await _db.QueryAsync<(string SchemaName, string ObjectName, string ObjectType, DateTime CreatedAt, string CreatedBy)>(
            "SELECT * FROM pggit_v0.list_objects('side')");
        Assert.Equal("dave", objects.Single(o => o.ObjectName == "big_orders").CreatedBy);
        Assert.Equal("alice", objects.Single(o => o.ObjectName == "orders").CreatedBy);
        Assert.Equal("bob", objects.Single(o => o.ObjectName == "calc(integer, integer)").CreatedBy);
        Assert.Equal("TABLE", objects.Single(o => o.ObjectName == "orders").ObjectType);

        var atHead = await _db.QueryAsync<(string SchemaName, string ObjectName, string ObjectType, DateTime CreatedAt, string CreatedBy)>(
            "SELECT * FROM pggit_v0.list_objects()");
        Assert.Equal("alice", atHead.Single(o => o.ObjectName == "big_orders").CreatedBy);
        Assert.Equal(atHead, await _db.QueryAsync<(string, string, string, DateTime, string)>("SELECT * FROM pggit_v0.get_current_schema()"));
    }

    [Fact]
    public async Task list_branches_lists_every_branch_with_its_head()
    {
        var branches = await _db.QueryAsync<(string BranchName, string HeadSha, DateTime CreatedAt)>("SELECT * FROM pggit_v0.list_branches()");
        Assert.Equal(["feature", "main", "side"], branches.Select(b => b.BranchName));
        Assert.Equal(_root, branches[0].HeadSha);
        Assert.Equal(_line[0], branches[1].HeadSha);
    }

    [Fact]
    public async Task get_object_definition_and_metadata_read_any_commit_and_name_functions_with_or_without_arguments()
    {
        Assert.Contains("1 AS id", await _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'big_orders', 'side~1')"));
        Assert.StartsWith("CREATE OR REPLACE FUNCTION public.calc(a integer, b integer)",
            await _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'calc(integer, integer)')"));
        Assert.StartsWith("CREATE OR REPLACE FUNCTION public.calc(a integer)",
            await _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'calc', @root)", new { root = _root }));

        var ambiguous = await Assert.ThrowsAsync<PostgresException>(() => _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'calc')"));
        Assert.Equal("22023", ambiguous.SqlState);
        Assert.Contains("calc(integer).sql, public/functions/calc(integer, integer).sql", ambiguous.MessageText);
        var missing = await Assert.ThrowsAsync<PostgresException>(() => _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'nope')"));
        Assert.Equal("P0002", missing.SqlState);

        var metadata = await _db.QueryAsync<(string ObjectType, long Size, DateTime LastModifiedAt, string ModifiedBy)>(
            "SELECT * FROM pggit_v0.get_object_metadata('public', 'big_orders', 'side')");
        var (objectType, size, _, modifiedBy) = Assert.Single(metadata);
        Assert.Equal(("VIEW", "dave"), (objectType, modifiedBy));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(await _db.ScalarAsync<string>("SELECT pggit_v0.get_object_definition('public', 'big_orders', 'side')")), size);
    }
}
