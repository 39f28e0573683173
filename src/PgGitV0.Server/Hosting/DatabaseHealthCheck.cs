using Microsoft.Extensions.Diagnostics.HealthChecks;
using PgGitV0.Server.Data;

namespace PgGitV0.Server.Hosting;

/// <summary>Healthy when the SQL layer is installed and the database answers; grpc.health.v1 reports NOT_SERVING otherwise.</summary>
public sealed class DatabaseHealthCheck(PgGitDatabase database, SqlLayerInitializer sqlLayer) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!sqlLayer.IsReady)
            return HealthCheckResult.Unhealthy("the pggit_v0 SQL layer is not installed yet");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(timeout.Token);
            await using var command = new Npgsql.NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", e);
        }
    }
}
