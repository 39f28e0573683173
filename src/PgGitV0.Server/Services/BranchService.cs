using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Services;

/// <summary>BranchService (branching.proto): branches and tags, each RPC one pggit_v0 function call.</summary>
public sealed class BranchService(BranchStore store) : Api.BranchService.BranchServiceBase
{
    private const int DefaultPage = 100;

    public override async Task<ListBranchesResponse> ListBranches(ListBranchesRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultPage);
        var afterName = Paging.Decode(request.PageToken, "branches", "", 1)?[0];
        var rows = await store.ListBranchesAsync(CallIdentity.Of(context), afterName, size + 1, context.CancellationToken);
        var response = new ListBranchesResponse();
        response.Branches.AddRange(rows.Take(size).Select(r => r.ToProto()));
        if (rows.Count > size) response.NextPageToken = Paging.Encode("branches", "", rows[size - 1].BranchName);
        return response;
    }

    public override async Task<Branch> CreateBranch(CreateBranchRequest request, ServerCallContext context)
        => (await store.CreateBranchAsync(CallIdentity.Of(context), request.Name, HistoryService.NullIfEmpty(request.FromRef), context.CancellationToken)).ToProto();

    public override async Task<DeleteBranchResponse> DeleteBranch(DeleteBranchRequest request, ServerCallContext context)
        => new() { DeletedSha = await store.DeleteBranchAsync(CallIdentity.Of(context), request.Name, request.Force, context.CancellationToken) };

    public override async Task<Branch> RestoreBranch(RestoreBranchRequest request, ServerCallContext context)
        => (await store.RestoreBranchAsync(CallIdentity.Of(context), request.Name, context.CancellationToken)).ToProto();

    public override async Task<ListTagsResponse> ListTags(ListTagsRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultPage);
        var afterName = Paging.Decode(request.PageToken, "tags", "", 1)?[0];
        var rows = await store.ListTagsAsync(CallIdentity.Of(context), afterName, size + 1, context.CancellationToken);
        var response = new ListTagsResponse();
        response.Tags.AddRange(rows.Take(size).Select(r => r.ToProto()));
        if (rows.Count > size) response.NextPageToken = Paging.Encode("tags", "", rows[size - 1].TagName);
        return response;
    }

    public override async Task<Tag> CreateTag(CreateTagRequest request, ServerCallContext context)
        => (await store.CreateTagAsync(CallIdentity.Of(context), request.Name, HistoryService.NullIfEmpty(request.Ref),
            HistoryService.NullIfEmpty(request.Message), context.CancellationToken)).ToProto();

    public override async Task<DeleteTagResponse> DeleteTag(DeleteTagRequest request, ServerCallContext context)
        => new() { DeletedSha = await store.DeleteTagAsync(CallIdentity.Of(context), request.Name, context.CancellationToken) };
}
