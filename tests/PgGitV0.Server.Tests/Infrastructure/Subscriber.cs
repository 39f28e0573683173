using System.Threading.Channels;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.Server.Tests.Infrastructure;

/// <summary>A StreamActivity call whose events are collected as they arrive.</summary>
public sealed class Subscriber : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly AsyncServerStreamingCall<ActivityEvent> _call;
    private readonly Channel<ActivityEvent> _events = Channel.CreateUnbounded<ActivityEvent>();
    private Task? _pump;

    private Subscriber(MonitoringService.MonitoringServiceClient client, StreamActivityRequest request)
        => _call = client.StreamActivity(request, cancellationToken: _cancel.Token);

    /// <summary>Opens the stream and starts reading it (unless <paramref name="read"/> is false: then call <see cref="StartReading"/>).</summary>
    public static Subscriber Open(MonitoringService.MonitoringServiceClient client, StreamActivityRequest request, bool read = true)
    {
        var subscriber = new Subscriber(client, request);
        if (read) subscriber.StartReading();
        return subscriber;
    }

    public void StartReading() => _pump ??= Task.Run(async () =>
    {
        try
        {
            await foreach (var e in _call.ResponseStream.ReadAllAsync(_cancel.Token)) await _events.Writer.WriteAsync(e);
            _events.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _events.Writer.TryComplete(e);
        }
    });

    /// <summary>The next <paramref name="count"/> events; fails when they do not arrive in time.</summary>
    public async Task<List<ActivityEvent>> TakeAsync(int count, int timeoutSeconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var taken = new List<ActivityEvent>();
        try
        {
            while (taken.Count < count) taken.Add(await _events.Reader.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"got {taken.Count} of {count} events within {timeoutSeconds} s: ids {string.Join(", ", taken.Select(e => e.Id))}");
        }
        return taken;
    }

    /// <summary>The next event if one arrives within <paramref name="milliseconds"/>, else null.</summary>
    public async Task<ActivityEvent?> TryTakeAsync(int milliseconds)
    {
        using var timeout = new CancellationTokenSource(milliseconds);
        try
        {
            return await _events.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Asserts that no further event arrives within <paramref name="milliseconds"/>.</summary>
    public async Task ExpectNoMoreAsync(int milliseconds = 400)
    {
        await Task.Delay(milliseconds);
        Assert.False(_events.Reader.TryRead(out var extra), $"unexpected event {extra}");
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_pump is not null)
        {
            try
            {
                await _pump;
            }
            catch (OperationCanceledException)
            {
            }
        }
        _call.Dispose();
        _cancel.Dispose();
    }
}
