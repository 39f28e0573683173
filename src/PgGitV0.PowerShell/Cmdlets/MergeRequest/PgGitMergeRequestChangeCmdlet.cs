using System.Management.Automation;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>
/// A cmdlet that changes one merge request named by -Id (bound from the pipeline by property name), asks
/// ShouldProcess first, and outputs the request as it is afterwards.
/// </summary>
public abstract class PgGitMergeRequestChangeCmdlet : PgGitServerCmdlet
{
    /// <summary>The merge request's id; requests from Get-PgGitMergeRequest bind it by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>What the change does, for -WhatIf and the confirmation prompt.</summary>
    protected abstract string Action { get; }

    /// <summary>Starts the call that makes the change.</summary>
    private protected abstract AsyncUnaryCall<MergeRequest> Change(MergeService.MergeServiceClient client, CallOptions options);

    /// <inheritdoc />
    protected override object? ErrorTarget => Id;

    /// <inheritdoc />
    protected sealed override void ProcessPgGitRecord()
    {
        if (!ShouldProcess($"merge request {Id} at {Connection.Endpoint}", Action)) return;

        WriteObject(PgGitMergeRequest.FromProto(Call(options => Change(Connection.Merging, options))));
    }
}
