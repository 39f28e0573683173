namespace PgGitV0.Server.Data;

/// <summary>How Dapper maps the SQL layer's snake_case columns onto the row classes' properties.</summary>
public static class DapperConventions
{
    private static readonly bool Configured = Configure();

    /// <summary>Makes sure the conventions are in force (idempotent; every data class calls it before its first query).</summary>
    public static void EnsureConfigured() => _ = Configured;

    private static bool Configure()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        return true;
    }
}
