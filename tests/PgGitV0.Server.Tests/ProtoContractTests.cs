using System.Text.RegularExpressions;

namespace PgGitV0.Server.Tests;

/// <summary>The protos are the contract other languages read: every service, RPC, message, enum value and field says what it is.</summary>
public sealed partial class ProtoContractTests
{
    private static string ProtoDirectory([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "protos", "pggit", "v0"));

    public static TheoryData<string> ProtoFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ProtoDirectory(), "*.proto").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ProtoFiles))]
    public void Every_declaration_has_a_comment(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(ProtoDirectory(), file));
        var undocumented = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!Declaration().IsMatch(line)) continue;
            var previous = i > 0 ? lines[i - 1].Trim() : "";
            if (!previous.StartsWith("//", StringComparison.Ordinal)) undocumented.Add($"{file}:{i + 1}: {line}");
        }
        Assert.Empty(undocumented);
    }

    [Fact]
    public void The_package_is_pggit_v0_with_one_file_per_service()
    {
        var files = Directory.GetFiles(ProtoDirectory(), "*.proto");
        Assert.All(files, f => Assert.Contains("package pggit.v0;", File.ReadAllText(f)));
        Assert.Contains(files, f => f.EndsWith("common.proto", StringComparison.Ordinal));
        Assert.All(files.Where(f => !f.EndsWith("common.proto", StringComparison.Ordinal)),
            f => Assert.Single(Regex.Matches(File.ReadAllText(f), @"^service \w+", RegexOptions.Multiline)));
    }

    // service, rpc, message, enum, enum values and fields (including optional / repeated ones).
    [GeneratedRegex(@"^(service|rpc|message|enum)\s|^(optional |repeated )?[\w.]+\s+\w+\s*=\s*\d+;|^[A-Z_0-9]+\s*=\s*\d+;")]
    private static partial Regex Declaration();
}
