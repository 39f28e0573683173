using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Services;

/// <summary>BranchService (branching.proto).</summary>
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
}
