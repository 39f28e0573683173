using Dapper;
using Npgsql;
using PgGitV0.Database;

namespace PgGitV0.Testing;

/// <summary>
/// A fresh database for one test class (or one case), dropped on dispose. With pggit_v0 it is cloned
/// from a template installed once per process, so creating one costs a CREATE DATABASE.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _templateName;
    private static int _counter;

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <param name="installPggit">install pggit_v0 (from the template) or leave the database empty</param>
    /// <param name="icuLocale">an ICU locale (e.g. "en-US") for the database's default collation; null = C</param>
    public static async Task<TestDatabase> CreateAsync(bool installPggit = true, string? icuLocale = null)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        var name = $"pggit_t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, IncludeErrorDetail = true }.ConnectionString;

        if (icuLocale is not null)
        {
            await PostgresServer.ExecuteAdminAsync(
                $"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale.Replace("'", "''")}' LOCALE 'C'");
            if (installPggit) await SqlInstaller.InstallAsync(connectionString);
        }
        else if (installPggit)
        {
            await PostgresServer.ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE {await TemplateAsync()}");
        }
        else
        {
            await PostgresServer.ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'");
        }
        return new TestDatabase(name, connectionString);
    }

    /// <summary>A fresh database cloned from an existing database of the same cluster (which must
    /// have no other connections), dropped on dispose.</summary>
    public static async Task<TestDatabase> CloneAsync(string template)
    {
        var admin = await PostgresServer.AdminConnectionStringAsync();
        var name = $"pggit_t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, IncludeErrorDetail = true }.ConnectionString;
        await PostgresServer.ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        return new TestDatabase(name, connectionString);
    }

    private static async Task<string> TemplateAsync()
    {
        if (_templateName is not null) return _templateName;
        await TemplateGate.WaitAsync();
        try
        {
            if (_templateName is not null) return _templateName;
            var name = $"pggit_tpl{Environment.ProcessId}";
            var admin = await PostgresServer.AdminConnectionStringAsync();
            await PostgresServer.ExecuteAdminAsync($"DROP DATABASE IF EXISTS {name}");
            await PostgresServer.ExecuteAdminAsync($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'");
            await SqlInstaller.InstallAsync(new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
            _templateName = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql, object? param = null)
    {
        await using var connection = await OpenAsync();
        await connection.ExecuteAsync(sql, param);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param = null)
    {
        await using var connection = await OpenAsync();
        return (await connection.QueryAsync<T>(sql, param)).AsList();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? param = null)
    {
        await using var connection = await OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, param))!;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(connection);
        await PostgresServer.ExecuteAdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
