using PgGitV0.Database;

namespace PgGitV0.Server.Hosting;

/// <summary>
/// Installs or upgrades the pggit_v0 SQL layer on start (the files sql/install.sql applies; its
/// advisory lock makes concurrent starts of replicas safe), retrying while the database is
/// unreachable. Until it succeeds the server reports NOT_SERVING and RPCs are UNAVAILABLE.
/// </summary>
public sealed class SqlLayerInitializer(ServerOptions options, ILogger<SqlLayerInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(15);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the SQL layer is installed.</summary>
    public Task Ready => _ready.Task;

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await SqlInstaller.InstallAsync(options.ConnectionString, options.SqlDirectory, stoppingToken);
                logger.LogInformation("pggit_v0 SQL layer installed or already up to date");
                _ready.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("installing the pggit_v0 SQL layer failed ({Error}); retrying in {Delay}", e.Message, delay);
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                _ready.TrySetCanceled(stoppingToken);
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }
}
