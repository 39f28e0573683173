using System.Collections.Immutable;
using System.Threading.Channels;
using Npgsql;
using PgGitV0.Server.Data;
using PgGitV0.Server.Hosting;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Streaming;

/// <summary>
/// Fans activity out to every subscriber of this process. One dedicated connection LISTENs on
/// pggit_v0_activity (and on the API key channel); a notification only wakes the reader, which
/// reads new rows from the activity table once and offers them to each subscriber's buffer. The
/// reader also polls on a timer, and the listener reconnects after any failure, so a lost
/// connection or notification delays events but never loses them.
/// </summary>
public sealed class ActivityHub(ActivityStore store, PgGitDatabase database, ApiKeyAuthenticator keys, SqlLayerInitializer sqlLayer,
    ServerOptions options, ILogger<ActivityHub> logger) : BackgroundService
{
    public const string Channel = "pggit_v0_activity";
    public const string ListenerApplicationName = "pggit_v0-server activity listener";
    private const int ReadBatch = 500;
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImmutableList<ActivitySubscription> _subscribers = [];
    private long? _lastId;
    private long _overflows;

    /// <summary>The backend process id of the LISTEN connection; null while it is down.</summary>
    public int? ListenerProcessId { get; private set; }

    /// <summary>
    /// Registers a subscriber. Events that commit after this returns reach its buffer; earlier ones
    /// are in the table, where <see cref="ActivitySubscription.ReadAsync"/> starts.
    /// </summary>
    public async Task<ActivitySubscription> SubscribeAsync(ActivityFilter filter, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _lastId ??= await store.MaxIdAsync(cancellationToken);
            var subscription = new ActivitySubscription(this, store, filter, options.SubscriberBufferSize);
            ImmutableInterlocked.Update(ref _subscribers, list => list.Add(subscription));
            return subscription;
        }
        finally
        {
            _gate.Release();
        }
    }

    internal void Unsubscribe(ActivitySubscription subscription)
        => ImmutableInterlocked.Update(ref _subscribers, list => list.Remove(subscription));

    public int SubscriberCount => _subscribers.Count;

    /// <summary>How often a subscriber fell behind its buffer and switched to reading the table.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    internal void CountOverflow()
    {
        Interlocked.Increment(ref _overflows);
        logger.LogDebug("a slow activity subscriber overflowed its buffer; it catches up from the table");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sqlLayer.Ready.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await Task.WhenAll(ListenAsync(stoppingToken), ReadLoopAsync(stoppingToken));
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false,
            ApplicationName = ListenerApplicationName,
            KeepAlive = 15,
        };
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == ApiKeyStore.ChangesChannel) keys.Invalidate();
                    else Wake();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}; LISTEN {ApiKeyStore.ChangesChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                ListenerProcessId = connection.ProcessID;
                logger.LogInformation("activity listener connected (backend {ProcessId})", connection.ProcessID);
                // Whatever happened while no one listened is in the tables: read it, and forget cached keys.
                keys.Invalidate();
                Wake();
                delay = TimeSpan.FromMilliseconds(100);
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ListenerProcessId = null;
                logger.LogWarning("activity listener lost its connection ({Error}); reconnecting in {Delay}", e.Message, delay);
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }
    }

    private async Task ReadLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                poll.CancelAfter(options.ActivityPollInterval);
                try
                {
                    await _wake.Reader.ReadAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The poll interval passed without a notification: read anyway.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            try
            {
                await DeliverNewEventsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("reading new activity failed ({Error}); retrying on the next poll", e.Message);
            }
        }
    }

    private async Task DeliverNewEventsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_subscribers.IsEmpty)
            {
                _lastId = null; // nobody listens: the next subscriber sets the position afresh
                return;
            }
            _lastId ??= await store.MaxIdAsync(cancellationToken);
            IReadOnlyList<ActivityRow> rows;
            do
            {
                rows = await store.ReadAfterAsync(_lastId.Value, ReadBatch, ActivityFilter.All, cancellationToken);
                var subscribers = _subscribers;
                foreach (var row in rows)
                {
                    foreach (var subscriber in subscribers) subscriber.Offer(row);
                    _lastId = row.Id;
                }
            } while (rows.Count == ReadBatch);
        }
        finally
        {
            _gate.Release();
        }
    }
}
