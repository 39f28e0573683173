using Google.Rpc;
using Grpc.Core;

namespace PgGitV0.PowerShell;

/// <summary>
/// A failed call to the pggit server: the server's message, its gRPC status code, and the
/// <c>google.rpc.ErrorInfo</c> reason and metadata when the server sent them.
/// </summary>
public sealed class PgGitException : Exception
{
    internal PgGitException(string message, StatusCode statusCode, string? reason, IReadOnlyDictionary<string, string> metadata, Exception? inner)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Reason = reason;
        Metadata = metadata;
    }

    /// <summary>The gRPC status code, e.g. NotFound.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The machine-readable reason from the server's ErrorInfo (e.g. BRANCH_NOT_FOUND); null when none was sent.</summary>
    public string? Reason { get; }

    /// <summary>The ErrorInfo metadata, naming the offending values.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    internal static PgGitException FromRpc(RpcException rpc, Uri endpoint)
    {
        var info = rpc.GetRpcStatus()?.GetDetail<ErrorInfo>();
        var metadata = info is null
            ? new Dictionary<string, string>()
            : info.Metadata.ToDictionary(pair => pair.Key, pair => pair.Value);
        var message = rpc.StatusCode switch
        {
            // No ErrorInfo: the failure is the transport's (nothing answered), not the server's.
            Grpc.Core.StatusCode.Unavailable when info is null =>
                $"Cannot reach the pggit server at {endpoint}: {rpc.Status.Detail} Start the server, or pass the right address to Connect-PgGit -Endpoint.",
            Grpc.Core.StatusCode.Unauthenticated when string.IsNullOrEmpty(rpc.Status.Detail) =>
                $"The pggit server at {endpoint} needs an API key; pass one to Connect-PgGit -ApiKey or set PGGIT_API_KEY.",
            _ when string.IsNullOrEmpty(rpc.Status.Detail) => $"The pggit server at {endpoint} answered {rpc.StatusCode}.",
            _ => rpc.Status.Detail,
        };
        return new PgGitException(message, rpc.StatusCode, string.IsNullOrEmpty(info?.Reason) ? null : info.Reason, metadata, rpc);
    }
}
