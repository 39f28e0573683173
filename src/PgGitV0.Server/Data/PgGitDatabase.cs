using System.Data;
using Dapper;
using Npgsql;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>
/// The process's one <see cref="NpgsqlDataSource"/> and the way every RPC talks to the SQL layer:
/// one round trip per call. The caller's identity is set as <c>pggit.actor</c> by a first statement
/// in the same batch, and PostgreSQL runs a batch as one implicit transaction, so the setting
/// holds exactly for that call's statements.
/// </summary>
public sealed class PgGitDatabase : IAsyncDisposable
{
    // Reads commit only their operation_metrics row; losing that row in a crash is harmless, and
    // not waiting for the WAL flush keeps unary reads off the disk's latency.
    private const string ReadPrelude =
        "SELECT set_config('pggit.actor', @pggit_actor, true), set_config('synchronous_commit', 'off', true);\n";
    private const string WritePrelude = "SELECT set_config('pggit.actor', @pggit_actor, true);\n";

    public PgGitDatabase(string connectionString)
    {
        DapperConventions.EnsureConfigured();
        ConnectionString = connectionString;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= "pggit_v0-server";
        // Calls leave no session state behind (pggit.actor is transaction-local), so the reset
        // round trip on every return to the pool is not needed; repeated statements get prepared.
        settings.NoResetOnClose = true;
        if (settings.MaxAutoPrepare == 0) settings.MaxAutoPrepare = 50;
        DataSource = builder.Build();
    }

    /// <summary>The configured connection string (with password), for dedicated connections.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Runs a read as <paramref name="identity"/> and returns its rows.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(CallIdentity identity, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await QueryCoreAsync(connection, ReadPrelude, identity, sql, parameters, ReadRowsAsync<T>, cancellationToken);
    }

    /// <summary>Runs a write as <paramref name="identity"/>; returns its rows and the notices it raised.</summary>
    public async Task<(IReadOnlyList<T> Rows, IReadOnlyList<PostgresNotice> Notices)> WriteAsync<T>(
        CallIdentity identity, string sql, object? parameters, CancellationToken cancellationToken)
    {
        var notices = new List<PostgresNotice>();
        var rows = await WriteBatchAsync(identity, sql, parameters, ReadRowsAsync<T>, notices.Add, cancellationToken);
        return (rows, notices);
    }

    /// <summary>
    /// Runs a write of several statements as <paramref name="identity"/>: one batch, so one transaction in
    /// which each statement sees what the earlier ones wrote. <paramref name="read"/> reads their results
    /// in order. <paramref name="onNotice"/> gets the notices this call raises as they arrive, and no others.
    /// </summary>
    public async Task<TResult> WriteBatchAsync<TResult>(CallIdentity identity, string sql, object? parameters,
        Func<SqlMapper.GridReader, Task<TResult>> read, Action<PostgresNotice>? onNotice, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        NoticeEventHandler? handler = onNotice is null ? null : (_, e) => onNotice(e.Notice);
        if (handler is not null) connection.Notice += handler;
        try
        {
            return await QueryCoreAsync(connection, WritePrelude, identity, sql, parameters, read, cancellationToken);
        }
        finally
        {
            if (handler is not null) connection.Notice -= handler;
        }
    }

    private static async Task<TResult> QueryCoreAsync<TResult>(NpgsqlConnection connection, string prelude, CallIdentity identity,
        string sql, object? parameters, Func<SqlMapper.GridReader, Task<TResult>> read, CancellationToken cancellationToken)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.Add("pggit_actor", identity.Actor ?? "", DbType.String);
        var command = new CommandDefinition(prelude + sql, arguments, cancellationToken: cancellationToken);
        await using var results = await connection.QueryMultipleAsync(command);
        await results.ReadAsync();
        return await read(results);
    }

    private static async Task<IReadOnlyList<T>> ReadRowsAsync<T>(SqlMapper.GridReader results) => (await results.ReadAsync<T>()).AsList();

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
