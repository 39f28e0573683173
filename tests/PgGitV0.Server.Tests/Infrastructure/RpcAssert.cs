using Google.Rpc;
using Grpc.Core;

namespace PgGitV0.Server.Tests.Infrastructure;

public static class RpcAssert
{
    /// <summary>Asserts the call fails with <paramref name="code"/> and returns the ErrorInfo it carries.</summary>
    public static async Task<(RpcException Exception, ErrorInfo Info)> FailsAsync(StatusCode code, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, exception.StatusCode);
        var status = exception.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)code, status.Code);
        var info = status.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("pggit.v0", info.Domain);
        return (exception, info);
    }
}
