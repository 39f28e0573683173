using System.Text.RegularExpressions;

namespace PgGitV0.PowerShell.Tests.Hosting;

public static partial class HelpText
{
    /// <summary>Get-Help wraps text at the host's width, even inside words: compare help text without whitespace.</summary>
    public static string WithoutWhitespace(string text) => Whitespace().Replace(text, "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
