using System.Diagnostics;
using System.Management.Automation;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>Streams repository activity (commits, branches created, refs moved) to the pipeline as it happens.</summary>
/// <remarks>
/// <para>Writes each activity event to the pipeline as the server delivers it, until Ctrl+C, until -Count
/// events have arrived, or until -Timeout seconds have passed. Without -AfterId only events that happen
/// after the command starts are written; with -AfterId every stored event after that id is replayed
/// first, then live ones follow, in id order, none twice: pass the Id of the last event you saw to resume
/// exactly where you left off.</para>
/// <para>-Kind and -Branch keep only events of those kinds or about that branch; the server filters, so
/// -Count counts matching events.</para>
/// </remarks>
/// <example>
/// <code>Watch-PgGitActivity -Count 3</code>
/// <para>Waits for the next three events and writes them.</para>
/// </example>
/// <example>
/// <code>Watch-PgGitActivity -AfterId 0 -Kind commit -Branch main -Timeout 5</code>
/// <para>Replays every commit event on main, then keeps following new ones for five seconds.</para>
/// </example>
/// <example>
/// <code>Watch-PgGitActivity | ForEach-Object { "$($_.Actor) did $($_.Kind) on $($_.RefName)" }</code>
/// <para>Prints a line for each event until Ctrl+C.</para>
/// </example>
/// <seealso cref="GetPgGitCommitCommand"/>
[Cmdlet(VerbsCommon.Watch, "PgGitActivity")]
[OutputType(typeof(PgGitActivity))]
public sealed class WatchPgGitActivityCommand : PgGitServerCmdlet
{
    /// <summary>Replay stored events with an id greater than this (0 = all of them) before following live ones.</summary>
    /// <value>none: only events after the command starts</value>
    [Parameter(Position = 0)]
    [ValidateRange(0, long.MaxValue)]
    public long? AfterId { get; set; }

    /// <summary>Only events of these kinds, e.g. commit or create_branch.</summary>
    /// <value>every kind</value>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Kind { get; set; }

    /// <summary>Only events about this branch or tag.</summary>
    /// <value>every ref</value>
    [Parameter]
    [ArgumentCompleter(typeof(BranchNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Branch { get; set; }

    /// <summary>Stop after this many events.</summary>
    /// <value>no limit</value>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    /// <summary>Stop after this many seconds, however many events arrived.</summary>
    /// <value>no limit</value>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessPgGitRecord()
    {
        var request = new StreamActivityRequest { Branch = Branch ?? "" };
        if (AfterId is { } afterId) request.AfterId = afterId;
        if (Kind is not null) request.Kinds.AddRange(Kind);

        using var timeout = new CancellationTokenSource();
        if (Timeout is { } seconds) timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(StopToken, timeout.Token);
        using var call = Connection.Monitoring.StreamActivity(request, Connection.Options(cancel.Token));

        var progress = new ProgressRecord(4, "Watch-PgGitActivity", "Waiting for activity");
        var clock = Stopwatch.StartNew();
        var received = 0;
        try
        {
            while (Await(call.ResponseStream.MoveNext(cancel.Token)))
            {
                WriteObject(PgGitActivity.FromProto(call.ResponseStream.Current));
                received++;
                if (received == Count) break;
                ReportProgress(progress, received, clock.Elapsed);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && timeout.IsCancellationRequested && !StopToken.IsCancellationRequested)
        {
            WriteVerbose($"Stopped after {Timeout} s with {received} events");
        }

        if (received > 0 && (Count is not null || Timeout is not null))
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    private void ReportProgress(ProgressRecord progress, int received, TimeSpan elapsed)
    {
        if (Count is null && Timeout is null) return;
        progress.StatusDescription = Count is { } count ? $"{received} of {count} events" : $"{received} events";
        progress.PercentComplete = Count is { } total ? Math.Min(100, received * 100 / total) : -1;
        progress.SecondsRemaining = Timeout is { } seconds ? Math.Max(0, seconds - (int)elapsed.TotalSeconds) : -1;
        WriteProgress(progress);
    }
}
