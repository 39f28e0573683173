using System.Diagnostics;
using System.Text.Json;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

/// <summary>A Node.js client (@grpc/grpc-js loading protos/ at run time) against the server: the contract works outside C#.</summary>
public sealed class NodeClientTests
{
    private static string NodeDirectory([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
        => Path.Combine(Path.GetDirectoryName(thisFile)!, "node");

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task EnsurePackagesAsync(string directory)
    {
        if (Directory.Exists(Path.Combine(directory, "node_modules", "@grpc", "grpc-js"))) return;
        var (exitCode, output, error) = await RunAsync("npm", directory, "ci", "--no-audit", "--no-fund");
        Assert.True(exitCode == 0, $"npm ci failed: {output}{error}");
    }

    [Fact]
    public async Task A_node_client_lists_pages_reads_objects_gets_errors_and_streams()
    {
        var directory = NodeDirectory();
        await EnsurePackagesAsync(directory);
        await using var host = await ServerHost.StartAsync();
        await History.StartAsync(host.Database, "feature");
        var commits = await History.AddViewsAsync(host.Database, "feature", 4, "node", "nora <nora@example.com>");
        var expectedLine = await host.Database.QueryAsync<string>("SELECT commit_sha FROM pggit_v0.list_commits('feature', NULL, 100)");
        var eventCount = await host.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.activity");

        var protos = Path.GetFullPath(Path.Combine(directory, "..", "..", "..", "protos"));
        var (exitCode, output, error) = await RunAsync("node", directory, "client.js", new Uri(host.Address).Authority, host.ReaderKey, protos, eventCount.ToString());
        Assert.True(exitCode == 0, $"node client failed: {error}");

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["feature", "main"], root.GetProperty("branches").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.True(root.GetProperty("branches")[1].GetProperty("checked_out").GetBoolean());
        Assert.Equal(expectedLine, root.GetProperty("commits").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(5, expectedLine.Count);

        var tip = root.GetProperty("tip");
        Assert.Equal(commits[^1], tip.GetProperty("sha").GetString());
        Assert.Equal("nora", tip.GetProperty("author").GetString());
        Assert.Equal("add view node_3", tip.GetProperty("message").GetString());
        Assert.True(long.Parse(tip.GetProperty("committed_at_seconds").GetString()!) > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());

        var obj = root.GetProperty("object");
        Assert.Equal("public/tables/orders.sql", obj.GetProperty("path").GetString());
        Assert.Equal("OBJECT_TYPE_TABLE", obj.GetProperty("object_type").GetString());
        Assert.Contains("CREATE TABLE public.orders", obj.GetProperty("definition").GetString());

        // feature is ahead of main: the merge would be a fast-forward, so nothing can conflict.
        Assert.Equal(JsonValueKind.Array, root.GetProperty("predicted_conflicts").ValueKind);
        Assert.Equal(0, root.GetProperty("predicted_conflicts").GetArrayLength());

        var failure = root.GetProperty("error");
        Assert.Equal(5, failure.GetProperty("code").GetInt32());
        Assert.Equal("'no-such-branch' is not a branch, tag or commit", failure.GetProperty("details").GetString());
        Assert.True(failure.GetProperty("has_status_details").GetBoolean());

        var events = root.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(eventCount, events.Count);
        var ids = events.Select(e => long.Parse(e.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(await host.Database.QueryAsync<long>("SELECT id FROM pggit_v0.activity ORDER BY id"), ids);
        Assert.Equal("add view node_3", events[^1].GetProperty("message").GetString());
    }
}
