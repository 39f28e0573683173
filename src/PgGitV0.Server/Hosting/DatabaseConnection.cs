using Npgsql;
using PgGitV0.Database;

namespace PgGitV0.Server.Hosting;

/// <summary>
/// Where the server's database is: PGGIT_CONNECTION when set; otherwise a local PostgreSQL cluster
/// started from the installed binaries and kept between runs (PGGIT_CLUSTER_ROOT, default
/// /var/lib/pggit_v0 as root — a folder the postgres user can reach — else ~/.local/share/pggit_v0;
/// both keep the socket path short).
/// </summary>
public static class DatabaseConnection
{
    public static async Task<(string ConnectionString, LocalCluster? Cluster)> ResolveAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var configured = configuration["PGGIT_CONNECTION"];
        if (!string.IsNullOrWhiteSpace(configured)) return (configured, null);
        var cluster = await LocalCluster.StartAsync(configuration["PGGIT_CLUSTER_ROOT"] ?? DefaultClusterRoot(), durable: true, stopOnDispose: false, cancellationToken);
        return (cluster.ConnectionString, cluster);
    }

    public static string DefaultClusterRoot()
        => Environment.UserName == "root"
            ? "/var/lib/pggit_v0"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "pggit_v0");

    /// <summary>host:port/database of a connection string, without credentials, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }
}
