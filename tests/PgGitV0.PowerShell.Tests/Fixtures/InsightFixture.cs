namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// HistoryFixture's history with a row for every insight view: a 'wip' commit, commits counted as large
/// (threshold 2), and an orphaned commit (a force-deleted branch with ref_log expiry at 0 days).
/// </summary>
public sealed class InsightFixture : HistoryFixture
{
    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await Database.ExecuteAsync("""
            UPDATE pggit_v0.settings SET value = '2'::jsonb WHERE key = 'large_commit_threshold';
            UPDATE pggit_v0.settings SET value = '0'::jsonb WHERE key = 'reflog_expiry_days';
            SELECT pggit_v0.create_branch('scratch');
            SELECT pggit_v0.commit_changes('scratch', '{"public/tables/s1.sql": "CREATE TABLE public.s1 (id integer);", "public/tables/s2.sql": "CREATE TABLE public.s2 (id integer);"}'::jsonb, 'wip', 'dave');
            SELECT pggit_v0.create_branch('doomed');
            SELECT pggit_v0.commit_changes('doomed', '{"public/tables/x1.sql": "CREATE TABLE public.x1 (id integer);"}'::jsonb, 'Add x1', 'erin');
            """);
        await Database.ExecuteAsync("SELECT pggit_v0.delete_branch('doomed', true)");
    }
}
