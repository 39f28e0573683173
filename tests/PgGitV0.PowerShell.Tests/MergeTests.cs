using System.Management.Automation;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;
using static PgGitV0.PowerShell.Tests.Hosting.HelpText;

namespace PgGitV0.PowerShell.Tests;

/// <summary>
/// Merge-PgGitBranch, Test-PgGitMerge, the conflict cmdlets, Update-PgGitBranch -Rebase, Copy-PgGitCommit and
/// New-PgGitBranch -Feature against a real server, every change checked in SQL. Each test works on branches
/// of its own prefix, never on the checked-out main.
/// </summary>
public sealed class MergeTests(MergeFixture server) : IClassFixture<MergeFixture>, IDisposable
{
    private readonly ModuleSession _session = Sessions.Connected(server);

    public void Dispose() => _session.Dispose();

    private Task<long> MergeRowsAsync() => server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.merges");

    private Task<string[]> ParentsAsync(string commit) =>
        server.Database.ScalarAsync<string[]>("SELECT parent_shas FROM pggit_v0.commit_graph WHERE commit_sha = @commit", new { commit });

    private Task<bool> HasObjectAsync(string branch, string path) =>
        server.Database.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pggit_v0.ls_tree(@branch) WHERE path = @path)", new { branch, path });

    private Task<string?> DefinitionAsync(string name, string branch) =>
        server.Database.ScalarAsync<string?>("SELECT pggit_v0.get_object_definition('public', @name, @branch)", new { name, branch });

    /// <summary>The item is of a type the command declares with [OutputType].</summary>
    private void AssertDeclaredOutput(string command, PSObject item)
    {
        var declared = _session.Run("(Get-Command $args[0]).OutputType | ForEach-Object { $_.Type.FullName }", command).Succeeded();
        Assert.Contains(item.TypeName(), declared.Output.Select(type => type.ToString()));
    }

    [Fact]
    public async Task Merge_WhatIf_writes_nothing_and_without_it_writes_a_merge_commit()
    {
        var (target, source) = await server.CleanPairAsync("whatif");
        var (targetTip, sourceTip) = (await server.TipAsync(target), await server.TipAsync(source));
        var merges = await MergeRowsAsync();
        var calls = server.Requests("MergeService/MergeBranch");
        _session.UI.Clear();

        var whatIf = _session.Run("Merge-PgGitBranch -Source $args[0] -Target $args[1] -WhatIf", source, target).Succeeded();

        Assert.Empty(whatIf.Output);
        Assert.Contains($"What if: Performing the operation \"Merge '{source}' (Recursive)\" on target \"branch '{target}'", _session.UI.Text);
        Assert.Equal(targetTip, await server.TipAsync(target));
        Assert.Equal(merges, await MergeRowsAsync());
        Assert.Equal(calls, server.Requests("MergeService/MergeBranch"));

        var merged = Assert.Single(_session.Run("Merge-PgGitBranch $args[0] $args[1] -Message 'join'", source, target).Succeeded().Output);
        AssertDeclaredOutput("Merge-PgGitBranch", merged);
        Assert.Equal("Merged", merged.Text("Outcome"));
        var commit = merged.Text("MergeCommitSha");
        Assert.Equal(commit, await server.TipAsync(target));
        Assert.Equal([targetTip, sourceTip], await ParentsAsync(commit));
        Assert.Equal("join", await server.Database.ScalarAsync<string>("SELECT message FROM pggit_v0.commit_graph WHERE commit_sha = @commit", new { commit }));
        Assert.Null(merged.Get("MergeId"));
        var table = _session.RenderTable("$args[0]", merged);
        Assert.Matches(@"^Outcome\s+Commit\s+Source\s+Target\s+Conflicts\s+MergeId\s*$", table[0]);
        Assert.Matches($@"^Merged\s+{commit[..12]}\s+{source}\s+{target}\s+0\s*$", table[2]);
    }

    [Fact]
    public async Task A_merge_into_an_ancestor_fast_forwards_and_a_second_merge_finds_it_already_merged()
    {
        await server.BranchAsync("ff/target");
        await server.BranchAsync("ff/source");
        var sourceTip = await server.CommitAsync("ff/source", MergeFixture.Table("ff_table"));

        var first = Assert.Single(_session.Run("Merge-PgGitBranch ff/source ff/target").Succeeded().Output);
        var second = Assert.Single(_session.Run("Merge-PgGitBranch ff/source ff/target").Succeeded().Output);

        Assert.Equal(("FastForward", sourceTip, true), (first.Text("Outcome"), first.Text("MergeCommitSha"), (bool)first.Get("FastForward")!));
        Assert.Equal(("AlreadyMerged", sourceTip, true), (second.Text("Outcome"), second.Text("MergeCommitSha"), (bool)second.Get("AlreadyMerged")!));
        Assert.Equal(sourceTip, await server.TipAsync("ff/target"));
    }

    [Fact]
    public async Task Conflicts_come_back_as_objects_that_pipe_into_Resolve_PgGitConflict_which_completes_the_merge()
    {
        var (target, source) = await server.ConflictingPairAsync("clash");
        var (targetTip, sourceTip) = (await server.TipAsync(target), await server.TipAsync(source));
        var merges = await MergeRowsAsync();

        var predicted = Assert.Single(_session.Run("Test-PgGitMerge -Source $args[0] -Target $args[1]", source, target).Succeeded().Output);
        AssertDeclaredOutput("Test-PgGitMerge", predicted);
        Assert.Equal((MergeFixture.Orders, "modify/modify", ""), (predicted.Text("ObjectPath"), predicted.Text("ConflictType"), predicted.Text("MergeId")));
        Assert.Equal(merges, await MergeRowsAsync());

        var merge = _session.Run("Merge-PgGitBranch -Source $args[0] -Target $args[1]", source, target).Succeeded();
        var result = Assert.Single(merge.Output);
        Assert.Equal("Conflicts", result.Text("Outcome"));
        Assert.Equal([MergeFixture.Orders], (string[])result.Get("ConflictObjects")!);
        Assert.Null(result.Get("MergeCommitSha"));
        var mergeId = result.Text("MergeId");
        Assert.NotEmpty(mergeId);
        Assert.Contains(mergeId, Assert.Single(merge.Warnings).Message);
        Assert.Equal(targetTip, await server.TipAsync(target));

        // The merge result binds -MergeId of Get-PgGitConflict; the conflicts bind -MergeId and -ObjectPath of Resolve-PgGitConflict.
        var listed = Assert.Single(_session.Run("$args[0] | Get-PgGitConflict", result).Succeeded().Output);
        AssertDeclaredOutput("Get-PgGitConflict", listed);
        Assert.Equal((mergeId, source, target, false), (listed.Text("MergeId"), listed.Text("SourceBranch"), listed.Text("TargetBranch"), (bool)listed.Get("Resolved")!));
        Assert.Contains("<<<<<<<", listed.Text("MergedDefinition"));
        Assert.Contains("amount bigint", listed.Text("SourceDefinition"));
        Assert.Contains("amount numeric(12,2)", listed.Text("TargetDefinition"));
        var table = _session.RenderTable("Get-PgGitConflict -MergeId $args[0]", mergeId);
        Assert.Contains(table, line => line.Contains(mergeId) && line.Contains(MergeFixture.Orders));

        var resolved = Assert.Single(_session.Run("Get-PgGitConflict -MergeId $args[0] | Resolve-PgGitConflict -Strategy Source", mergeId).Succeeded().Output);

        AssertDeclaredOutput("Resolve-PgGitConflict", resolved);
        Assert.Equal((mergeId, MergeFixture.Orders, 0, true), (resolved.Text("MergeId"), resolved.Text("ObjectPath"), (int)resolved.Get("Unresolved")!, (bool)resolved.Get("Completed")!));
        var commit = resolved.Text("MergeCommitSha");
        Assert.Equal(commit, await server.TipAsync(target));
        Assert.Equal([targetTip, sourceTip], await ParentsAsync(commit));
        Assert.Contains("amount bigint", await DefinitionAsync("orders", target));
        Assert.Empty(_session.Run("Get-PgGitConflict -MergeId $args[0]", mergeId).Succeeded().Output);
        Assert.Contains(_session.RenderTable("$args[0]", resolved), line => line.Contains(MergeFixture.Orders) && line.Contains(commit[..12]));
    }

    [Fact]
    public async Task Manual_needs_Ddl_Complete_is_refused_while_conflicts_remain_and_Stop_abandons_the_merge()
    {
        var (target, source) = await server.ConflictingPairAsync("abandon");
        var targetTip = await server.TipAsync(target);
        var mergeId = _session.Run("(Merge-PgGitBranch $args[0] $args[1]).MergeId", source, target).Succeeded().Output.Single().ToString();

        var noDdl = Assert.Single(_session.Run("Resolve-PgGitConflict -MergeId $args[0] -ObjectPath $args[1] -Strategy Manual", mergeId, MergeFixture.Orders).Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, noDdl.CategoryInfo.Category);
        var early = Assert.Single(_session.Run("Complete-PgGitMerge -MergeId $args[0]", mergeId).Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, early.CategoryInfo.Category);

        _session.Run("Stop-PgGitMerge -MergeId $args[0] -WhatIf", mergeId).Succeeded();
        Assert.Equal(1, await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.merges WHERE id = @mergeId::uuid", new { mergeId }));
        _session.UI.AnswerNextPrompt("Yes");
        _session.Run("Get-PgGitConflict -MergeId $args[0] | Stop-PgGitMerge", mergeId).Succeeded();

        Assert.Contains(_session.UI.Prompts, prompt => prompt.Contains("Abandon merge") && prompt.Contains(mergeId));
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.merges WHERE id = @mergeId::uuid", new { mergeId }));
        Assert.Equal(targetTip, await server.TipAsync(target));
    }

    [Fact]
    public async Task Input_without_a_MergeId_never_acts_on_another_pending_merge()
    {
        var (target, source) = await server.ConflictingPairAsync("other");
        var mergeId = _session.Run("(Merge-PgGitBranch $args[0] $args[1]).MergeId", source, target).Succeeded().Output.Single().ToString();
        var (cleanTarget, cleanSource) = await server.CleanPairAsync("noconflict");

        var listed = _session.Run("Merge-PgGitBranch $args[0] $args[1] | Get-PgGitConflict", cleanSource, cleanTarget).Succeeded();
        var resolve = _session.Run("Test-PgGitMerge $args[0] $args[1] | Resolve-PgGitConflict -Strategy Source", source, target);
        var stop = _session.Run("Merge-PgGitBranch $args[0] $args[1] | Stop-PgGitMerge -Confirm:$false", cleanSource, cleanTarget);

        Assert.Empty(listed.Output);
        Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(resolve.Errors).CategoryInfo.Category);
        Assert.Equal(ErrorCategory.InvalidArgument, Assert.Single(stop.Errors).CategoryInfo.Category);
        Assert.Equal(1, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pggit_v0.merge_conflicts WHERE merge_id = @mergeId::uuid AND resolution IS NULL", new { mergeId }));
        _session.Run("Stop-PgGitMerge -MergeId $args[0] -Confirm:$false", mergeId).Succeeded();
    }

    [Fact]
    public async Task Complete_PgGitMerge_writes_the_commit_of_a_merge_whose_conflicts_were_resolved_without_completing()
    {
        var (target, source) = await server.ConflictingPairAsync("interrupted");
        var (targetTip, sourceTip) = (await server.TipAsync(target), await server.TipAsync(source));
        var merge = Assert.Single(_session.Run("Merge-PgGitBranch $args[0] $args[1]", source, target).Succeeded().Output);
        // A resolution recorded without the completion that normally follows it, as when that step failed.
        await server.Database.ExecuteAsync("""
            UPDATE pggit_v0.merge_conflicts SET resolution = 'source', resolved_sha = source_sha, resolved_by = 'test', resolved_at = now()
            WHERE merge_id = @mergeId::uuid
            """, new { mergeId = merge.Text("MergeId") });

        var completed = Assert.Single(_session.Run("$args[0] | Complete-PgGitMerge", merge).Succeeded().Output);

        AssertDeclaredOutput("Complete-PgGitMerge", completed);
        Assert.Equal(("Merged", source, target, merge.Text("MergeId")),
            (completed.Text("Outcome"), completed.Text("SourceBranch"), completed.Text("TargetBranch"), completed.Text("MergeId")));
        Assert.Equal(completed.Text("MergeCommitSha"), await server.TipAsync(target));
        Assert.Equal([targetTip, sourceTip], await ParentsAsync(completed.Text("MergeCommitSha")));
    }

    [Fact]
    public async Task A_manual_resolution_completes_the_merge_with_that_DDL()
    {
        var (target, source) = await server.ConflictingPairAsync("manual");
        var ddl = server.OrdersDdl.Replace("amount numeric", "amount numeric(20,4)", StringComparison.Ordinal);
        _session.Run("Merge-PgGitBranch $args[0] $args[1]", source, target).Succeeded();

        var resolved = Assert.Single(_session.Run(
            "Get-PgGitConflict -Unresolved | Where-Object TargetBranch -eq $args[0] | Resolve-PgGitConflict -Strategy Manual -Ddl $args[1]", target, ddl).Succeeded().Output);

        Assert.True((bool)resolved.Get("Completed")!);
        Assert.Equal(resolved.Text("MergeCommitSha"), await server.TipAsync(target));
        Assert.Contains("amount numeric(20,4)", await DefinitionAsync("orders", target));
    }

    [Fact]
    public async Task Merging_into_the_checked_out_branch_is_refused_as_InvalidOperation()
    {
        await server.BranchAsync("checked/source");
        await server.CommitAsync("checked/source", MergeFixture.Table("checked_out"));

        var error = Assert.Single(_session.Run("Merge-PgGitBranch -Source checked/source -Target main").Errors);

        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("main", error.TargetObject);
        Assert.Equal(server.Root, await server.TipAsync("main"));
    }

    [Fact]
    public async Task Rebase_of_a_multi_commit_branch_reports_progress_and_outputs_the_result()
    {
        await server.BranchAsync("rebase/base");
        await server.CommitAsync("rebase/base", MergeFixture.Table("rebase_base"));
        await server.BranchAsync("rebase/topic");
        foreach (var table in new[] { "rebase_one", "rebase_two", "rebase_three" })
            await server.CommitAsync("rebase/topic", MergeFixture.Table(table), "add " + table);
        var oldTip = await server.TipAsync("rebase/topic");
        var baseTip = await server.TipAsync("rebase/base");

        _session.Run("Update-PgGitBranch -Name rebase/topic -Rebase -Onto rebase/base -WhatIf").Succeeded();
        var notRebase = Assert.Single(_session.Run("Update-PgGitBranch -Name rebase/topic -Rebase:$false -Onto rebase/base").Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, notRebase.CategoryInfo.Category);
        Assert.Equal(oldTip, await server.TipAsync("rebase/topic"));

        _session.UI.Clear();
        var result = Assert.Single(_session.Run("Get-PgGitBranch rebase/topic | Update-PgGitBranch -Rebase -Onto rebase/base").Succeeded().Output);

        AssertDeclaredOutput("Update-PgGitBranch", result);
        var newTip = await server.TipAsync("rebase/topic");
        Assert.Equal((newTip, oldTip, 3, 0, false), (result.Text("HeadSha"), result.Text("OldHeadSha"), (int)result.Get("ReplayedCommits")!,
            (int)result.Get("DroppedCommits")!, (bool)result.Get("Conflicts")!));
        Assert.Equal(baseTip, await server.TipAsync("rebase/topic~3"));
        var progress = _session.UI.Progress.Where(record => record.Activity == "Update-PgGitBranch").ToList();
        var steps = progress.Where(record => record.RecordType == ProgressRecordType.Processing).ToList();
        Assert.Equal([33, 66, 100], steps.Select(record => record.PercentComplete));
        Assert.Equal("3 of 3 commits replayed", steps[^1].StatusDescription);
        Assert.Equal(ProgressRecordType.Completed, progress[^1].RecordType);
        Assert.Contains(_session.RenderTable("$args[0]", result), line => line.StartsWith("rebase/topic ") && line.Contains(newTip[..12]) && line.Contains(oldTip[..12]));
    }

    [Fact]
    public async Task A_rebase_that_conflicts_moves_nothing_and_is_a_non_terminating_error_carrying_the_result()
    {
        var (target, source) = await server.ConflictingPairAsync("rebase-clash");
        var sourceTip = await server.TipAsync(source);

        var run = _session.Run("Update-PgGitBranch -Name $args[0] -Rebase -Onto $args[1]; 'went on'", source, target);

        Assert.Equal(["went on"], run.Output.Select(item => item.ToString()));
        var error = Assert.Single(run.Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.StartsWith("RebaseConflict", error.FullyQualifiedErrorId);
        var result = PSObject.AsPSObject(error.TargetObject);
        Assert.Equal("PgGitV0.PowerShell.PgGitRebaseResult", result.TypeName());
        Assert.Equal((true, sourceTip), ((bool)result.Get("Conflicts")!, result.Text("ConflictCommitSha")));
        Assert.Equal([MergeFixture.Orders], (string[])result.Get("ConflictObjects")!);
        Assert.Equal(sourceTip, await server.TipAsync(source));
    }

    [Fact]
    public async Task Copy_PgGitCommit_applies_one_commit_and_a_conflicting_one_writes_nothing()
    {
        await server.BranchAsync("pick/source");
        await server.CommitAsync("pick/source", MergeFixture.Table("pick_first"));
        await server.CommitAsync("pick/source", MergeFixture.Table("pick_second"));
        await server.BranchAsync("pick/target");
        var targetTip = await server.TipAsync("pick/target");

        var picked = Assert.Single(_session.Run("Get-PgGitCommit -Branch pick/source -First 1 | Copy-PgGitCommit -Branch pick/target").Succeeded().Output);

        AssertDeclaredOutput("Copy-PgGitCommit", picked);
        var newTip = await server.TipAsync("pick/target");
        Assert.Equal((newTip, false), (picked.Text("NewCommitSha"), (bool)picked.Get("Conflicts")!));
        Assert.Equal([targetTip], await ParentsAsync(newTip));
        Assert.True(await HasObjectAsync("pick/target", "public/tables/pick_second.sql"));
        Assert.False(await HasObjectAsync("pick/target", "public/tables/pick_first.sql"));
        Assert.Contains(_session.RenderTable("$args[0]", picked), line => line.Contains("pick/target") && line.Contains(newTip[..12]));

        var (target, source) = await server.ConflictingPairAsync("pick-clash");
        var before = await server.TipAsync(target);
        var error = Assert.Single(_session.Run("Copy-PgGitCommit -Commit $args[0] -Branch $args[1]", source, target).Errors);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.StartsWith("CherryPickConflict", error.FullyQualifiedErrorId);
        Assert.Equal(before, await server.TipAsync(target));
    }

    [Fact]
    public async Task New_PgGitBranch_Feature_creates_feature_branch_with_its_description()
    {
        var branch = Assert.Single(_session.Run("New-PgGitBranch -Feature invoices -Description 'Invoices and their lines'").Succeeded().Output);

        Assert.Equal(("PgGitV0.PowerShell.PgGitBranch", "feature/invoices"), (branch.TypeName(), branch.Text("Name")));
        Assert.Equal(server.Root, branch.Text("HeadSha"));
        Assert.Equal("Invoices and their lines", await server.Database.ScalarAsync<string>(
            "SELECT description FROM pggit_v0.refs WHERE name = 'feature/invoices' AND type = 'branch'"));
        var taken = Assert.Single(_session.Run("New-PgGitBranch -Feature feature/invoices").Errors);
        Assert.Equal(ErrorCategory.ResourceExists, taken.CategoryInfo.Category);
    }

    [Theory]
    [InlineData("Merge-PgGitBranch -Source complete/", new[] { "complete/one", "complete/two" })]
    [InlineData("Test-PgGitMerge complete/one -Target complete/t", new[] { "complete/two" })]
    [InlineData("Update-PgGitBranch -Rebase -Name complete/o", new[] { "complete/one" })]
    [InlineData("Update-PgGitBranch -Rebase -Name x -Onto complete/t", new[] { "complete/two" })]
    [InlineData("Copy-PgGitCommit -Commit complete/one -Branch complete/t", new[] { "complete/two" })]
    [InlineData("New-PgGitMergeRequest -Source complete/", new[] { "complete/one", "complete/two" })]
    [InlineData("Get-PgGitMergeRequest -TargetBranch complete/o", new[] { "complete/one" })]
    public async Task Branch_names_complete_on_the_merge_commands(string input, string[] expected)
    {
        foreach (var name in new[] { "complete/one", "complete/two" })
        {
            if (await server.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.refs WHERE name = @name", new { name }) == 0)
                await server.BranchAsync(name);
        }
        using var shell = _session.Create("");

        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(expected, completion.CompletionMatches.Select(match => match.CompletionText));
    }

    [Theory]
    [InlineData("Test-PgGitMerge", "Predicts the conflicts of a merge without merging.", "Test-PgGitMerge -Source feature/orders -Target release")]
    [InlineData("Merge-PgGitBranch", "Merges one branch into another.", "Merge-PgGitBranch -Source feature/orders -Target release")]
    [InlineData("Get-PgGitConflict", "Gets the conflicts of pending merges.", "Get-PgGitConflict")]
    [InlineData("Resolve-PgGitConflict", "Resolves a conflict of a pending merge.", "Get-PgGitConflict -MergeId $merge.MergeId | Resolve-PgGitConflict -Strategy Source")]
    [InlineData("Stop-PgGitMerge", "Abandons a pending merge.", "Stop-PgGitMerge -MergeId $merge.MergeId -Confirm:$false")]
    [InlineData("Complete-PgGitMerge", "Completes a pending merge whose conflicts are all resolved.", "Complete-PgGitMerge -MergeId $merge.MergeId")]
    [InlineData("Update-PgGitBranch", "Rebases a branch onto another commit.", "Update-PgGitBranch -Name feature/orders -Rebase")]
    [InlineData("Copy-PgGitCommit", "Applies a commit's change to a branch (cherry-pick).", "Copy-PgGitCommit -Commit 3f2a9c1d -Branch release")]
    [InlineData("New-PgGitBranch", "Creates a branch.", "New-PgGitBranch -Feature orders -Description 'Orders and their lines'")]
    public void Get_Help_Full_shows_the_synopsis_description_and_examples(string command, string synopsis, string example)
    {
        _session.UI.Clear();
        _session.Run("Get-Help $args[0] -Full | Out-Host", command).Succeeded();
        // Get-Help wraps text at the host's width, even inside words; compare without whitespace.
        var text = WithoutWhitespace(_session.UI.Text);

        Assert.Contains(WithoutWhitespace(synopsis), text);
        Assert.Contains(WithoutWhitespace("Needs the"), text);
        Assert.Contains(WithoutWhitespace(example), text);
    }
}
