using System.Text.RegularExpressions;

namespace PgGitV0.Sql.Tests.Docs;

/// <summary>The repository's documents and the ```sql blocks in them, for the tests that run documentation as written.</summary>
public static partial class DocFiles
{
    [GeneratedRegex(@"```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PgGitV0.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>A file's text, by its path from the repository root (e.g. "docs/merging.md").</summary>
    public static Task<string> ReadAsync(string relativePath) => File.ReadAllTextAsync(Path.Combine(RepoRoot(), relativePath));

    /// <summary>The contents of every ```sql block of a text, in order.</summary>
    public static List<string> SqlBlocks(string text) => SqlBlock().Matches(text).Select(m => m.Groups[1].Value).ToList();
}
