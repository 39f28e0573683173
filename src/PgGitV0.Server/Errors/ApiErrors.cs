using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace PgGitV0.Server.Errors;

/// <summary>
/// Builds the server's errors: a gRPC status whose google.rpc.Status details carry an ErrorInfo
/// (reason, domain "pggit.v0", metadata naming the offending value), so clients can act on the
/// reason and show the message.
/// </summary>
public static class ApiErrors
{
    public const string Domain = "pggit.v0";

    public static RpcException Create(StatusCode code, string reason, string message, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata) info.Metadata[key] = value;
        }
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        return status.ToRpcException();
    }

    public static RpcException InvalidArgument(string reason, string message, string field, string value)
        => Create(StatusCode.InvalidArgument, reason, message, new Dictionary<string, string> { ["field"] = field, ["value"] = value });
}
