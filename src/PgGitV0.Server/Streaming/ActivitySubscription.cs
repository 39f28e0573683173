using System.Runtime.CompilerServices;
using System.Threading.Channels;
using PgGitV0.Server.Data;

namespace PgGitV0.Server.Streaming;

/// <summary>
/// One subscriber of the <see cref="ActivityHub"/>: a bounded buffer the hub fills without ever
/// waiting. When the buffer is full the hub stops filling it and marks it overflowed; the
/// subscriber then reads what it missed from the activity table, so a slow subscriber loses
/// nothing and holds up no one.
/// </summary>
public sealed class ActivitySubscription : IDisposable
{
    private const int CatchUpBatch = 500;
    private readonly ActivityHub _hub;
    private readonly ActivityStore _store;
    private readonly Channel<ActivityRow> _buffer;
    private int _overflowed;

    internal ActivitySubscription(ActivityHub hub, ActivityStore store, ActivityFilter filter, int capacity)
    {
        _hub = hub;
        _store = store;
        Filter = filter;
        _buffer = Channel.CreateBounded<ActivityRow>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ActivityFilter Filter { get; }

    /// <summary>Called by the hub for every new event, in id order; never blocks.</summary>
    internal void Offer(ActivityRow row)
    {
        if (!Filter.Matches(row) || Volatile.Read(ref _overflowed) == 1) return;
        // Once an event is dropped, later ones must not enter the buffer either: the reader
        // would pass the gap before noticing it. The reader re-reads the table from its position.
        if (!_buffer.Writer.TryWrite(row))
        {
            Volatile.Write(ref _overflowed, 1);
            _hub.CountOverflow();
        }
    }

    /// <summary>
    /// Every matching event with an id above <paramref name="afterId"/>: first from the table, then
    /// live from the hub, in id order and each once, until cancelled.
    /// </summary>
    public async IAsyncEnumerable<ActivityRow> ReadAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterId;
        var catchUp = true;
        while (true)
        {
            if (catchUp || Interlocked.Exchange(ref _overflowed, 0) == 1)
            {
                catchUp = false;
                IReadOnlyList<ActivityRow> rows;
                do
                {
                    rows = await _store.ReadAfterAsync(last, CatchUpBatch, Filter, cancellationToken);
                    foreach (var row in rows)
                    {
                        last = row.Id;
                        yield return row;
                    }
                } while (rows.Count == CatchUpBatch);
                continue;
            }
            if (_buffer.Reader.TryRead(out var live))
            {
                if (live.Id <= last) continue;
                last = live.Id;
                yield return live;
                continue;
            }
            await _buffer.Reader.WaitToReadAsync(cancellationToken);
        }
    }

    public void Dispose() => _hub.Unsubscribe(this);
}
