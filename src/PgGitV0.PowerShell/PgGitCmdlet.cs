using System.Management.Automation;
using Grpc.Core;

namespace PgGitV0.PowerShell;

/// <summary>
/// What every PgGit cmdlet shares: a cancellation that Ctrl+C (StopProcessing) triggers, and waiting
/// for asynchronous gRPC calls on the pipeline thread so that output is written where PowerShell wants it.
/// </summary>
public abstract class PgGitCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Waits for a task; a call cancelled because the pipeline stopped ends the command quietly.</summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && _stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Releases what the command holds; PowerShell calls this when the pipeline ends.</summary>
    public void Dispose()
    {
        DisposeResources();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources a derived command holds.</summary>
    protected virtual void DisposeResources()
    {
    }
}
