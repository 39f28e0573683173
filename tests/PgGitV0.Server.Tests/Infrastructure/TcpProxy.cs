using System.Net;
using System.Net.Sockets;

namespace PgGitV0.Server.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder in front of PostgreSQL that a test can cut (every connection closed,
/// new ones closed on accept) and restore, to make the database unreachable without stopping it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _down;

    public TcpProxy(string targetHost, int targetPort, bool startDown = false)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _down = startDown;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public void Cut()
    {
        _down = true;
        lock (_open)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_down)
            {
                incoming.Dispose();
                continue;
            }
            _ = ForwardAsync(incoming);
        }
    }

    private async Task ForwardAsync(TcpClient incoming)
    {
        var outgoing = new TcpClient();
        try
        {
            await outgoing.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_open)
            {
                _open.Add(incoming);
                _open.Add(outgoing);
            }
            await Task.WhenAny(
                incoming.GetStream().CopyToAsync(outgoing.GetStream(), _stop.Token),
                outgoing.GetStream().CopyToAsync(incoming.GetStream(), _stop.Token));
        }
        catch (Exception)
        {
            // A cut or a closed side ends the pair; both sockets are closed below.
        }
        finally
        {
            incoming.Dispose();
            outgoing.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
    }
}
