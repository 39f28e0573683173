using System.Text;

namespace PgGitV0.PowerShell;

/// <summary>
/// A unified line diff of two DDL texts, for display only (the server decides what changed). Objects
/// are one definition each, so a plain longest-common-subsequence table is small enough.
/// </summary>
internal static class UnifiedDiff
{
    private const int ContextLines = 3;

    /// <summary>
    /// The diff of <paramref name="oldText"/> into <paramref name="newText"/> as `diff -u` prints it,
    /// with a/ and b/ headers naming <paramref name="path"/>; empty when the texts are equal. A null text
    /// is an absent file (/dev/null), as for a created or dropped object.
    /// </summary>
    public static string Format(string path, string? oldText, string? newText)
    {
        var oldLines = SplitLines(oldText);
        var newLines = SplitLines(newText);
        var edits = Edits(oldLines, newLines);
        if (edits.All(edit => edit.Kind == ' ')) return "";

        var text = new StringBuilder();
        text.Append("--- ").Append(oldText is null ? "/dev/null" : "a/" + path).Append('\n');
        text.Append("+++ ").Append(newText is null ? "/dev/null" : "b/" + path).Append('\n');
        foreach (var (start, end) in Hunks(edits))
        {
            var oldStart = edits.Take(start).Count(edit => edit.Kind != '+');
            var newStart = edits.Take(start).Count(edit => edit.Kind != '-');
            var oldCount = edits.Skip(start).Take(end - start).Count(edit => edit.Kind != '+');
            var newCount = edits.Skip(start).Take(end - start).Count(edit => edit.Kind != '-');
            text.Append($"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n");
            for (var i = start; i < end; i++) text.Append(edits[i].Kind).Append(edits[i].Line).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The lines of <paramref name="diff"/> that add ('+') or remove ('-'), headers excluded.</summary>
    public static int Count(string diff, char kind)
        // The first two lines are the ---/+++ headers; a removed SQL comment also starts with "---".
        => diff.Split('\n').Skip(2).Count(line => line.Length > 0 && line[0] == kind);

    // diff -u numbers an empty range by the line before it.
    private static string Range(int start, int count) => count == 1 ? $"{start + 1}" : $"{(count == 0 ? start : start + 1)},{count}";

    private static string[] SplitLines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.TrimEnd('\n').Split('\n');

    private static List<(char Kind, string Line)> Edits(string[] oldLines, string[] newLines)
    {
        var common = new int[oldLines.Length + 1, newLines.Length + 1];
        for (var i = oldLines.Length - 1; i >= 0; i--)
        {
            for (var j = newLines.Length - 1; j >= 0; j--)
            {
                common[i, j] = oldLines[i] == newLines[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var edits = new List<(char, string)>();
        int o = 0, n = 0;
        while (o < oldLines.Length || n < newLines.Length)
        {
            if (o < oldLines.Length && n < newLines.Length && oldLines[o] == newLines[n])
            {
                edits.Add((' ', oldLines[o++]));
                n++;
            }
            else if (o < oldLines.Length && (n == newLines.Length || common[o + 1, n] >= common[o, n + 1]))
            {
                edits.Add(('-', oldLines[o++]));
            }
            else
            {
                edits.Add(('+', newLines[n++]));
            }
        }
        return edits;
    }

    /// <summary>Runs of changes with their context, merged when their contexts touch.</summary>
    private static List<(int Start, int End)> Hunks(List<(char Kind, string Line)> edits)
    {
        var hunks = new List<(int Start, int End)>();
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Kind == ' ') continue;
            var start = Math.Max(0, i - ContextLines);
            var end = Math.Min(edits.Count, i + 1 + ContextLines);
            if (hunks.Count > 0 && start <= hunks[^1].End) hunks[^1] = (hunks[^1].Start, end);
            else hunks.Add((start, end));
        }
        return hunks;
    }
}
