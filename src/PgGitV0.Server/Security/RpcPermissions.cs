using Api = PgGitV0.Api;

namespace PgGitV0.Server.Security;

/// <summary>
/// The role each RPC needs. Every pggit.v0 method is listed (a test checks it); a method missing here
/// needs admin, so a new RPC is closed until someone decides. Health checks and reflection are
/// open, so load balancers and tools like grpcurl work without a key.
/// </summary>
public static class RpcPermissions
{
    private static readonly Dictionary<string, ApiRole> Required = new(StringComparer.Ordinal)
    {
        [Path(Api.HistoryService.Descriptor, "CreateCommit")] = ApiRole.Writer,
        [Path(Api.HistoryService.Descriptor, "ListCommits")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "GetCommit")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "ListObjects")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "GetObject")] = ApiRole.Reader,
        [Path(Api.BranchService.Descriptor, "ListBranches")] = ApiRole.Reader,
        [Path(Api.MonitoringService.Descriptor, "StreamActivity")] = ApiRole.Reader,
    };

    /// <summary>Every listed method path and the role it needs.</summary>
    public static IReadOnlyDictionary<string, ApiRole> All => Required;

    public static bool IsAnonymous(string method)
        => method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal)
           || method.StartsWith("/grpc.reflection.", StringComparison.Ordinal);

    public static ApiRole RequiredRole(string method) => Required.GetValueOrDefault(method, ApiRole.Admin);

    /// <summary>The gRPC path of a method, "/package.Service/Method".</summary>
    public static string Path(Google.Protobuf.Reflection.ServiceDescriptor service, string method)
        => $"/{service.FullName}/{(service.FindMethodByName(method) ?? throw new ArgumentException($"{service.FullName} has no method {method}")).Name}";
}
