using System.Text.RegularExpressions;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>
/// docs/powershell.md, run as a reader would: its sql blocks against the server's database, its
/// powershell blocks in one session, in document order; only the module path and endpoint differ.
/// </summary>
public sealed partial class DocumentationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string DocumentedModulePath = "./out/PgGitV0/PgGitV0.psd1";
    private const string DocumentedEndpoint = "http://127.0.0.1:50051";

    [Fact]
    public async Task Every_example_in_docs_powershell_md_runs_without_errors()
    {
        var document = await File.ReadAllTextAsync(Path.Combine(ModuleSession.RepoRoot, "docs", "powershell.md"));
        var blocks = CodeBlock().Matches(document).Select(match => (Language: match.Groups[1].Value, Code: match.Groups[2].Value)).ToList();
        Assert.Contains(blocks, block => block.Code.Contains(DocumentedModulePath) && block.Code.Contains(DocumentedEndpoint));

        using var session = ModuleSession.Start(importModule: false);
        var outputs = new List<ScriptResult>();
        foreach (var (language, code) in blocks)
        {
            if (language == "sql")
            {
                await server.Database.ExecuteAsync(code);
                continue;
            }
            var script = code.Replace(DocumentedModulePath, ModuleSession.ManifestPath).Replace(DocumentedEndpoint, server.Endpoint);
            var result = session.Run(script);
            result.ThrowIfFailed();
            outputs.Add(result);
        }

        // The powershell blocks in order: import, commits, new commit, objects, branches, branch changes,
        // tags and commit comparison, object history, insights, activity, merging, errors, help.
        Assert.Equal(13, outputs.Count);
        var commits = outputs[1];
        Assert.Equal(["Add t5", "Add t3", "Add t1", "Add d1 on dev", "Add t4", "Add t5", "Add t5"], commits.Values("Subject"));
        Assert.Contains(outputs[5].Output, item => item.BaseObject is string diff && diff.StartsWith("--- /dev/null\n+++ b/public/tables/d1.sql\n"));
        Assert.Equal("dev,feature/a,feature/audit,hotfix,main,release", await server.Database.ScalarAsync<string>(
            "SELECT string_agg(name, ',' ORDER BY name) FROM pggit_v0.refs WHERE type = 'branch'"));
        Assert.Contains(outputs[6].Output, item => item.BaseObject is string diff && diff.Contains("+++ b/public/tables/orders.sql\n"));
        Assert.Equal("CREATE", outputs[7].Output[0].Properties["Change"].Value);
        Assert.Contains(outputs[10].Output, item => item.TypeName() == "PgGitV0.PowerShell.PgGitConflictResolution" && (bool)item.Get("Completed")!);
        Assert.Equal(["ObjectNotFound", "ConnectionError"], outputs[11].Output.Select(item => item.BaseObject.ToString()));
    }

    [GeneratedRegex(@"```(powershell|sql)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
