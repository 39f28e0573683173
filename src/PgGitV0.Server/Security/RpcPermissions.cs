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
        [Path(Api.HistoryService.Descriptor, "GetObjectHistory")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "DiffCommits")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "DiffBranches")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "GetMergeBase")] = ApiRole.Reader,
        [Path(Api.HistoryService.Descriptor, "ExportRepository")] = ApiRole.Reader,
        [Path(Api.BranchService.Descriptor, "ListBranches")] = ApiRole.Reader,
        [Path(Api.BranchService.Descriptor, "CreateBranch")] = ApiRole.Writer,
        [Path(Api.BranchService.Descriptor, "DeleteBranch")] = ApiRole.Writer,
        [Path(Api.BranchService.Descriptor, "RestoreBranch")] = ApiRole.Writer,
        [Path(Api.BranchService.Descriptor, "ListTags")] = ApiRole.Reader,
        [Path(Api.BranchService.Descriptor, "CreateTag")] = ApiRole.Writer,
        [Path(Api.BranchService.Descriptor, "DeleteTag")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "CreateFeatureBranch")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "DetectConflicts")] = ApiRole.Reader,
        [Path(Api.MergeService.Descriptor, "MergeBranch")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "ListMerges")] = ApiRole.Reader,
        [Path(Api.MergeService.Descriptor, "ListConflicts")] = ApiRole.Reader,
        [Path(Api.MergeService.Descriptor, "ResolveConflict")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "CompleteMerge")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "AbortMerge")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "RebaseBranch")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "CherryPick")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "CreateMergeRequest")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "GetMergeRequest")] = ApiRole.Reader,
        [Path(Api.MergeService.Descriptor, "ListMergeRequests")] = ApiRole.Reader,
        [Path(Api.MergeService.Descriptor, "ApproveMergeRequest")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "CompleteMergeRequest")] = ApiRole.Writer,
        [Path(Api.MergeService.Descriptor, "CloseMergeRequest")] = ApiRole.Writer,
        [Path(Api.AnalyticsService.Descriptor, "ListRecentCommitsByAuthor")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListMostChangedObjects")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListBranchComparison")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListDailyChangeSummary")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListSchemaGrowthHistory")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListAuthorActivity")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListCommitsWithoutMessage")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListOrphanedObjects")] = ApiRole.Reader,
        [Path(Api.AnalyticsService.Descriptor, "ListLargeCommits")] = ApiRole.Reader,
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
