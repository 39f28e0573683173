using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PgGitV0.Database;

/// <summary>
/// A PostgreSQL cluster run from the installed server binaries (initdb, pg_ctl), for tests and for
/// running the server without a connection string. As root the cluster runs as the <c>postgres</c>
/// user (initdb refuses root), so its folder must be reachable by that user; the socket lives in
/// the cluster folder, which must stay short (unix socket paths are limited to ~100 bytes).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly bool _stopOnDispose;

    private LocalCluster(string root, int port, string binDirectory, bool stopOnDispose)
    {
        Root = root;
        Port = port;
        _binDirectory = binDirectory;
        _stopOnDispose = stopOnDispose;
    }

    public string Root { get; }
    public int Port { get; }
    public string DataDirectory => Path.Combine(Root, "data");
    public string LogFile => Path.Combine(Root, "postgres.log");

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
    }.ConnectionString;

    private static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>The bin folder of the newest installed PostgreSQL, or null when none is installed.</summary>
    public static string? FindBinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "pg_ctl");
            if (dir.Length > 0 && File.Exists(candidate) && File.Exists(Path.Combine(dir, "initdb")))
                return Path.GetDirectoryName(ResolveLink(candidate));
        }
        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot)) return null;
        return Directory.GetDirectories(debianRoot)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static string ResolveLink(string path)
    {
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? path;
    }

    /// <summary>
    /// Starts (creating when needed) the cluster in <paramref name="root"/>. A cluster already running
    /// there is reused. <paramref name="durable"/> keeps fsync on (for data kept between runs).
    /// </summary>
    public static async Task<LocalCluster> StartAsync(string root, bool durable, bool stopOnDispose, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory()
            ?? throw new InvalidOperationException("no PostgreSQL server binaries found (looked for initdb/pg_ctl on PATH and in /usr/lib/postgresql/*/bin); install postgresql or set PGGIT_CONNECTION");
        Directory.CreateDirectory(root);
        PrepareOwnership(root);

        var dataDirectory = Path.Combine(root, "data");
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await RunAsync(Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", .. durable ? Array.Empty<string>() : ["--no-sync"]],
                cancellationToken);
        }

        var portFile = Path.Combine(root, "port");
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (File.Exists(pidFile) && File.Exists(portFile) && int.TryParse(await File.ReadAllTextAsync(portFile, cancellationToken), out var runningPort)
            && await CanConnectAsync(runningPort, cancellationToken))
        {
            return new LocalCluster(root, runningPort, bin, stopOnDispose);
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200"
                          + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            try
            {
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(root, "postgres.log"), "-o", options, "start"], cancellationToken);
                await File.WriteAllTextAsync(portFile, port.ToString(), cancellationToken);
                return new LocalCluster(root, port, bin, stopOnDispose);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between FreePort and the bind; pick another.
            }
        }
    }

    public async Task StopAsync()
    {
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None);
    }

    /// <summary>Stops the cluster synchronously (for process-exit handlers).</summary>
    public void StopImmediately()
    {
        try
        {
            using var process = Process.Start(StartInfo(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]));
            process?.WaitForExit(30_000);
        }
        catch (Exception)
        {
            // Best effort at process exit: the cluster is throwaway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopOnDispose) await StopAsync();
    }

    private static void PrepareOwnership(string root)
    {
        if (!RunningAsRoot || OperatingSystem.IsWindows()) return;
        // The postgres user must own the cluster folder and be able to reach it.
        RunSync("chown", ["-R", "postgres:postgres", root]);
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(root)); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
                File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false, Timeout = 3 };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static ProcessStartInfo StartInfo(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (RunningAsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", program }) info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = program;
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["LC_ALL"] = "C";
        return info;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(program, arguments))
                            ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static void RunSync(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {process.StandardError.ReadToEnd()}");
    }
}
