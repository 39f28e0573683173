using Npgsql;
using PgGitV0.Database;
using Testcontainers.PostgreSql;

namespace PgGitV0.Testing;

/// <summary>
/// The PostgreSQL server all tests of a process share, found in DESIGN.md section 7's order:
/// PGGIT_TEST_CONNECTION (or PGGIT_CONNECTION), else a throwaway local cluster from the installed
/// binaries, else a Testcontainers container where Docker answers.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;

    public static async Task<string> AdminConnectionStringAsync()
    {
        if (_adminConnectionString is not null) return _adminConnectionString;
        await Gate.WaitAsync();
        try
        {
            _adminConnectionString ??= await StartAsync();
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> StartAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PGGIT_TEST_CONNECTION")
                              ?? Environment.GetEnvironmentVariable("PGGIT_CONNECTION");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;

        if (LocalCluster.FindBinDirectory() is not null)
        {
            // Short root under /tmp: the socket path must stay under ~100 bytes.
            var root = Path.Combine("/tmp", $"pggit-test-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
            var cluster = await LocalCluster.StartAsync(root, durable: false, stopOnDispose: true);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                cluster.StopImmediately();
                try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            };
            StopWhenThisProcessEnds(cluster, root);
            return cluster.ConnectionString;
        }

        var container = new PostgreSqlBuilder("postgres:15").Build();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return container.GetConnectionString();
    }

    /// <summary>
    /// A test host is often killed rather than left to exit (so ProcessExit never runs): a detached
    /// watchdog stops and removes the throwaway cluster once this process is gone.
    /// </summary>
    private static void StopWhenThisProcessEnds(LocalCluster cluster, string root)
    {
        var pgCtl = Path.Combine(LocalCluster.FindBinDirectory()!, "pg_ctl");
        var stop = Environment.UserName == "root" ? $"runuser -u postgres -- '{pgCtl}'" : $"'{pgCtl}'";
        var script = $"exec >/dev/null 2>&1 </dev/null; while kill -0 {Environment.ProcessId}; do sleep 2; done; " +
                     $"{stop} -D '{cluster.DataDirectory}' -m immediate stop; rm -rf '{root}'";
        var info = new System.Diagnostics.ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var a in new[] { "sh", "-c", script }) info.ArgumentList.Add(a);
        using var watchdog = System.Diagnostics.Process.Start(info);
    }

    internal static async Task ExecuteAdminAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(await AdminConnectionStringAsync()) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
