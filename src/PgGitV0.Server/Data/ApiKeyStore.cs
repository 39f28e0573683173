using Dapper;
using Npgsql;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Data;

/// <summary>pggit_server.api_keys (sql/pggit_v0_server.sql): the server's keys, stored as SHA-256 hashes.</summary>
public sealed class ApiKeyStore
{
    private readonly NpgsqlDataSource dataSource;

    public ApiKeyStore(NpgsqlDataSource dataSource)
    {
        DapperConventions.EnsureConfigured();
        this.dataSource = dataSource;
    }

    /// <summary>Channel on which key changes are announced, so every replica drops its cached keys.</summary>
    public const string ChangesChannel = "pggit_server_keys";

    /// <summary>Creates a key; returns the key text, which is not stored and cannot be shown again.</summary>
    public async Task<string> AddAsync(string name, ApiRole role, CancellationToken cancellationToken)
    {
        var key = ApiKeys.Generate();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO pggit_server.api_keys (name, role, key_sha256, key_prefix) VALUES (@name, @role, @hash, @prefix)",
                new { name, role = ApiRoles.Name(role), hash = ApiKeys.Hash(key), prefix = ApiKeys.Recognizable(key) },
                cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException($"an active key named '{name}' already exists; revoke it first (keys revoke --name {name})", e);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            throw new ArgumentException($"key name '{name}' is not valid: use 1 to 63 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", e);
        }
        return key;
    }

    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT name, role, key_prefix, created_at, created_by, revoked_at FROM pggit_server.api_keys ORDER BY name, created_at",
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Revokes the active key with this name; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE pggit_server.api_keys SET revoked_at = now() WHERE name = @name AND revoked_at IS NULL",
            new { name }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition($"NOTIFY {ChangesChannel}", transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return revoked > 0;
    }

    /// <summary>The identity of an active key, or null when the key is unknown or revoked.</summary>
    public async Task<CallIdentity?> FindAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT name, role FROM pggit_server.api_keys WHERE key_sha256 = @keyHash AND revoked_at IS NULL",
            new { keyHash }, cancellationToken: cancellationToken));
        return row is null ? null : new CallIdentity(row.Name, ApiRoles.Parse(row.Role));
    }
}
