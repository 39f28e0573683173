using System.Text;
using Npgsql;

namespace PgGitV0.Database;

/// <summary>
/// Applies the SQL layer exactly as <c>psql -v ON_ERROR_STOP=1 -f sql/install.sql</c> does:
/// install.sql is read, each <c>\ir file</c> line is replaced by that file, other psql
/// meta-commands are dropped, and the result runs as one script (install.sql holds the
/// transaction and the advisory lock that make concurrent installs safe).
/// </summary>
public static class SqlInstaller
{
    public const string InstallFileName = "install.sql";

    /// <summary>The sql/ folder shipped next to the running assembly.</summary>
    public static string DefaultSqlDirectory => Path.Combine(AppContext.BaseDirectory, "sql");

    /// <summary>install.sql with its includes expanded, ready to send to PostgreSQL.</summary>
    public static string BuildScript(string? sqlDirectory = null)
    {
        var directory = sqlDirectory ?? DefaultSqlDirectory;
        var installPath = Path.Combine(directory, InstallFileName);
        if (!File.Exists(installPath))
            throw new FileNotFoundException($"pggit_v0 install script not found at '{installPath}'", installPath);

        var script = new StringBuilder();
        foreach (var line in File.ReadLines(installPath))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("\\ir ", StringComparison.Ordinal) || trimmed.StartsWith("\\include_relative ", StringComparison.Ordinal))
            {
                var file = trimmed[(trimmed.IndexOf(' ') + 1)..].Trim();
                script.AppendLine(File.ReadAllText(Path.Combine(directory, file)));
            }
            else if (!trimmed.StartsWith('\\'))
            {
                script.AppendLine(line);
            }
        }
        return script.ToString();
    }

    /// <summary>Installs or upgrades pggit_v0 in the database behind <paramref name="connectionString"/>.</summary>
    public static async Task InstallAsync(string connectionString, string? sqlDirectory = null, CancellationToken cancellationToken = default)
    {
        var script = BuildScript(sqlDirectory);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(script, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The version install.sql records, or null when pggit_v0 is not installed.</summary>
    public static async Task<string?> InstalledVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using (var probe = new NpgsqlCommand("SELECT to_regclass('pggit_v0.schema_version') IS NOT NULL", connection))
        {
            if (!(bool)(await probe.ExecuteScalarAsync(cancellationToken))!)
                return null;
        }
        await using var command = new NpgsqlCommand(
            "SELECT version FROM pggit_v0.schema_version ORDER BY installed_at DESC, version DESC LIMIT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
