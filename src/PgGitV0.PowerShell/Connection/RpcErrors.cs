using System.Management.Automation;
using Grpc.Core;

namespace PgGitV0.PowerShell;

/// <summary>Turns gRPC failures into ErrorRecords whose category says what kind of failure it was.</summary>
internal static class RpcErrors
{
    public static ErrorCategory Category(StatusCode code) => code switch
    {
        StatusCode.NotFound => ErrorCategory.ObjectNotFound,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => ErrorCategory.InvalidArgument,
        StatusCode.AlreadyExists => ErrorCategory.ResourceExists,
        StatusCode.PermissionDenied => ErrorCategory.PermissionDenied,
        StatusCode.Unauthenticated => ErrorCategory.AuthenticationError,
        StatusCode.FailedPrecondition => ErrorCategory.InvalidOperation,
        StatusCode.Aborted => ErrorCategory.ResourceBusy,
        StatusCode.Unavailable => ErrorCategory.ConnectionError,
        StatusCode.DeadlineExceeded => ErrorCategory.OperationTimeout,
        StatusCode.Cancelled => ErrorCategory.OperationStopped,
        StatusCode.Unimplemented => ErrorCategory.NotImplemented,
        StatusCode.ResourceExhausted => ErrorCategory.LimitsExceeded,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>
    /// Without a connection or credentials nothing else in the command can succeed, so these end
    /// the command; the others are per-input failures that let the pipeline go on.
    /// </summary>
    public static bool IsTerminating(StatusCode code) => code is StatusCode.Unavailable or StatusCode.Unauthenticated;

    public static ErrorRecord ToErrorRecord(RpcException rpc, Uri endpoint, object? target)
    {
        var exception = PgGitException.FromRpc(rpc, endpoint);
        var errorId = exception.Reason ?? "PgGit" + rpc.StatusCode;
        return new ErrorRecord(exception, errorId, Category(rpc.StatusCode), target ?? exception.Metadata.Values.FirstOrDefault());
    }
}
