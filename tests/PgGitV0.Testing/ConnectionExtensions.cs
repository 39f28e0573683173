using Dapper;
using Npgsql;

namespace PgGitV0.Testing;

public static class ConnectionExtensions
{
    /// <summary>A single non-null value (Dapper's ExecuteScalar, failing clearly on NULL).</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlConnection connection, string sql, object? param = null)
    {
        var value = await connection.ExecuteScalarAsync<T>(sql, param);
        return value ?? throw new InvalidOperationException($"query returned NULL: {sql}");
    }
}
