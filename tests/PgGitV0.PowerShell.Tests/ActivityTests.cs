using System.Diagnostics;
using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Watch-PgGitActivity: live events, -Count, -Timeout, -AfterId resumption, filters, Ctrl+C.</summary>
public sealed class ActivityTests(HistoryFixture server) : IClassFixture<HistoryFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    private Task<long> LastActivityIdAsync() => server.Database.ScalarAsync<long>("SELECT coalesce(max(id), 0) FROM pggit_v0.activity");

    private Task CreateBranchAsync(string name) => server.Database.ExecuteAsync("SELECT pggit_v0.create_branch(@name)", new { name });

    private Task CommitToAsync(string branch, int n) => server.Database.ExecuteAsync(
        "SELECT pggit_v0.commit_changes(@branch, jsonb_build_object(@path, @ddl), @message, 'dave')",
        new { branch, path = $"public/tables/w{n}.sql", ddl = $"CREATE TABLE public.w{n} (id integer);", message = $"w{n} on {branch}" });

    [Fact]
    public async Task Count_3_writes_the_next_three_live_events_and_ends()
    {
        await CreateBranchAsync("live");
        using var shell = _session.Create("Watch-PgGitActivity -Count 3 -Branch live -Timeout 30");
        var pending = shell.BeginInvoke();

        // Only events after the subscription starts count, so keep committing until three arrived.
        var clock = Stopwatch.StartNew();
        for (var n = 1; !pending.IsCompleted && clock.Elapsed < Patience; n++)
        {
            await CommitToAsync("live", n);
            await Task.Delay(150);
        }
        var events = shell.EndInvoke(pending);

        Assert.Equal(3, events.Count);
        Assert.All(events, item =>
        {
            Assert.Equal("PgGitV0.PowerShell.PgGitActivity", item.TypeName());
            Assert.Equal("commit", item.Text("Kind"));
            Assert.Equal("live", item.Text("RefName"));
            Assert.Matches("^w[0-9]+ on live$", (string)((System.Collections.Hashtable)item.Get("Details")!)["message"]!);
        });
        var ids = events.Select(item => (long)item.Get("Id")!).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(3, ids.Distinct().Count());
    }

    [Fact]
    public async Task AfterId_replays_what_was_missed_and_resuming_from_the_last_id_repeats_nothing()
    {
        var start = await LastActivityIdAsync();
        await CreateBranchAsync("resume");
        await CommitToAsync("resume", 101);
        await CommitToAsync("resume", 102);
        var stored = await server.Database.QueryAsync<long>("SELECT id FROM pggit_v0.activity WHERE ref_name = 'resume' ORDER BY id");

        var firstTwo = _session.Run("Watch-PgGitActivity -AfterId $args[0] -Branch resume -Count 2 -Timeout 20", start).Succeeded();
        var lastSeen = (long)firstTwo.Output[^1].Get("Id")!;
        var rest = _session.Run("Watch-PgGitActivity -AfterId $args[0] -Branch resume -Count 1 -Timeout 20", lastSeen).Succeeded();

        Assert.Equal(["create_branch", "commit"], firstTwo.Values("Kind"));
        Assert.Equal(stored, firstTwo.Output.Concat(rest.Output).Select(item => (long)item.Get("Id")!));
    }

    [Fact]
    public async Task Kind_filters_events_and_Timeout_ends_the_watch()
    {
        var start = await LastActivityIdAsync();
        await CreateBranchAsync("kind/a");
        await CommitToAsync("kind/a", 201);
        await CreateBranchAsync("kind/b");

        var clock = Stopwatch.StartNew();
        var result = _session.Run("Watch-PgGitActivity -AfterId $args[0] -Kind create_branch -Timeout 1", start).Succeeded();
        clock.Stop();

        Assert.Equal(["kind/a", "kind/b"], result.Values("RefName"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Count_reports_progress_and_completes_it()
    {
        var start = await LastActivityIdAsync();
        await CreateBranchAsync("progress");
        await CommitToAsync("progress", 301);
        await CommitToAsync("progress", 302);
        _session.UI.Clear();

        _session.Run("Watch-PgGitActivity -AfterId $args[0] -Branch progress -Count 3 -Timeout 20", start).Succeeded();

        var progress = _session.UI.Progress.Where(record => record.Activity == "Watch-PgGitActivity").ToList();
        Assert.Equal(["1 of 3 events", "2 of 3 events"], progress.Where(record => record.RecordType == ProgressRecordType.Processing).Select(record => record.StatusDescription));
        Assert.Equal([33, 66], progress.Where(record => record.RecordType == ProgressRecordType.Processing).Select(record => record.PercentComplete));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
    }

    [Fact]
    public async Task Stopping_the_pipeline_like_CtrlC_cancels_the_stream_at_once()
    {
        var start = await LastActivityIdAsync();
        await CreateBranchAsync("stop");
        using var shell = _session.Create("Watch-PgGitActivity -AfterId $args[0] -Branch stop -Timeout 60", start);
        var output = new PSDataCollection<PSObject>();
        var pending = shell.BeginInvoke<PSObject, PSObject>(null, output);

        var clock = Stopwatch.StartNew();
        while (output.Count == 0 && clock.Elapsed < Patience) await Task.Delay(50);
        // (Enumerating a PSDataCollection waits for the pipeline to end, so index it.)
        Assert.True(output.Count == 1, $"{output.Count} events");
        Assert.Equal("create_branch", output[0].Text("Kind"));
        Assert.False(pending.IsCompleted);

        clock.Restart();
        await Task.Factory.FromAsync(shell.BeginStop(null, null), shell.EndStop);

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
    }

    [Fact]
    public async Task The_default_table_view_fits_120_columns()
    {
        var start = await LastActivityIdAsync();
        await CreateBranchAsync("a-rather-long-branch-name/for-the-table-view");

        var lines = _session.RenderTable("Watch-PgGitActivity -AfterId $args[0] -Count 1 -Timeout 20", start);

        Assert.Matches(@"^\s+Id\s+At \(UTC\)\s+Kind\s+RefName\s+Sha\s+Actor\s*$", lines[0]);
        Assert.Contains(lines, line => line.Contains("create_branch"));
    }
}
