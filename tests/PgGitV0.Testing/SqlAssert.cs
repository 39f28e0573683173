using Npgsql;

namespace PgGitV0.Testing;

public static class SqlAssert
{
    /// <summary>Runs <paramref name="action"/> and returns the PostgresException it must throw with <paramref name="sqlState"/>.</summary>
    public static async Task<PostgresException> ThrowsSqlStateAsync(string sqlState, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (PostgresException e)
        {
            if (e.SqlState != sqlState)
                throw new InvalidOperationException($"expected SQLSTATE {sqlState} but got {e.SqlState}: {e.MessageText}", e);
            return e;
        }
        throw new InvalidOperationException($"expected SQLSTATE {sqlState} but nothing was thrown");
    }
}
