using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Errors;
using PgGitV0.Server.Security;
using static PgGitV0.Server.Services.HistoryService;

namespace PgGitV0.Server.Services;

/// <summary>
/// MergeService (merging.proto): merges, conflicts, rebase, cherry-pick and merge requests, each RPC one
/// pggit_v0 function call (sql/pggit_v0_branching.sql). Identities come from the API key: approvals and
/// merge commits are the caller's, never a name the client sends.
/// </summary>
public sealed class MergeService(MergeStore store) : Api.MergeService.MergeServiceBase
{
    private const int DefaultPage = 100;
    private const string DefaultStrategy = "recursive";
    private const string PendingStatus = "conflicted";
    private const string EveryStatus = "all";
    private const string ManualDdl = "manual_ddl";

    public override async Task<Branch> CreateFeatureBranch(CreateFeatureBranchRequest request, ServerCallContext context)
        => (await store.CreateFeatureBranchAsync(CallIdentity.Of(context), request.Name, NullIfEmpty(request.Description),
            context.CancellationToken)).ToProto();

    public override async Task<DetectConflictsResponse> DetectConflicts(DetectConflictsRequest request, ServerCallContext context)
    {
        var rows = await store.DetectConflictsAsync(CallIdentity.Of(context), request.SourceBranch, request.TargetBranch, context.CancellationToken);
        return new DetectConflictsResponse { Conflicts = { rows.Select(r => r.ToProto(request.SourceBranch, request.TargetBranch)) } };
    }

    public override async Task<MergeBranchResponse> MergeBranch(MergeBranchRequest request, ServerCallContext context)
    {
        var strategy = string.IsNullOrEmpty(request.Strategy) ? DefaultStrategy : request.Strategy;
        var outcome = await store.MergeBranchAsync(CallIdentity.Of(context), request.SourceBranch, request.TargetBranch,
            strategy, NullIfEmpty(request.Message), context.CancellationToken);
        return new MergeBranchResponse
        {
            MergeCommitSha = outcome.MergeCommitSha ?? "",
            Conflicts = outcome.Conflicts,
            ConflictObjects = { outcome.ConflictObjects },
            MergeId = outcome.MergeId?.ToString() ?? "",
            Outcome = outcome.Outcome,
        };
    }

    public override async Task<ListMergesResponse> ListMerges(ListMergesRequest request, ServerCallContext context)
    {
        var status = request.Status switch
        {
            "" => PendingStatus,
            EveryStatus => null,
            _ => request.Status,
        };
        var rows = await store.ListMergesAsync(CallIdentity.Of(context), NullIfEmpty(request.SourceBranch), NullIfEmpty(request.TargetBranch),
            status, context.CancellationToken);
        return new ListMergesResponse { Merges = { rows.Select(r => r.ToProto()) } };
    }

    public override async Task<ListConflictsResponse> ListConflicts(ListConflictsRequest request, ServerCallContext context)
    {
        var rows = await store.ListConflictsAsync(CallIdentity.Of(context), OptionalMergeId(request.MergeId), context.CancellationToken);
        return new ListConflictsResponse { Conflicts = { rows.Select(r => r.ToProto()) } };
    }

    public override async Task<ResolveConflictResponse> ResolveConflict(ResolveConflictRequest request, ServerCallContext context)
    {
        var mergeId = OptionalMergeId(request.MergeId);
        if (request.ManualDdl.Length > 0 && request.Strategy != ManualDdl)
            throw ApiErrors.InvalidArgument("MANUAL_DDL_WITHOUT_STRATEGY",
                $"manual_ddl is given but strategy is '{request.Strategy}'; use strategy '{ManualDdl}' to resolve with that DDL, or leave manual_ddl empty",
                "strategy", request.Strategy);
        var merge = await store.ResolveConflictAsync(CallIdentity.Of(context), mergeId, request.ObjectPath, request.Strategy,
            NullIfEmpty(request.ManualDdl), context.CancellationToken);
        return new ResolveConflictResponse
        {
            MergeId = merge.MergeId.ToString(),
            Unresolved = merge.Unresolved,
            MergeCommitSha = merge.MergeCommitSha ?? "",
        };
    }

    public override async Task<CompleteMergeResponse> CompleteMerge(CompleteMergeRequest request, ServerCallContext context)
        => new() { MergeCommitSha = await store.CompleteMergeAsync(CallIdentity.Of(context), OptionalMergeId(request.MergeId), context.CancellationToken) };

    public override async Task<AbortMergeResponse> AbortMerge(AbortMergeRequest request, ServerCallContext context)
        => new() { MergeId = (await store.AbortMergeAsync(CallIdentity.Of(context), OptionalMergeId(request.MergeId), context.CancellationToken)).ToString() };

    public override async Task RebaseBranch(RebaseBranchRequest request, IServerStreamWriter<RebaseBranchEvent> responseStream, ServerCallContext context)
    {
        // Progress notices arrive on the database connection's read loop while the call runs; a channel
        // hands them to one writer, since a response stream takes one write at a time.
        var progress = System.Threading.Channels.Channel.CreateUnbounded<RebaseProgress>(
            new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var relay = RelayAsync(progress.Reader, responseStream, context.CancellationToken);
        RebaseRow result;
        try
        {
            result = await store.RebaseBranchAsync(CallIdentity.Of(context), request.Branch, NullIfEmpty(request.Onto),
                (done, total) => progress.Writer.TryWrite(new RebaseProgress { Done = done, Total = total }), context.CancellationToken);
        }
        finally
        {
            progress.Writer.Complete();
            await relay;
        }
        await responseStream.WriteAsync(new RebaseBranchEvent { Result = result.ToProto() }, context.CancellationToken);
    }

    private static async Task RelayAsync(System.Threading.Channels.ChannelReader<RebaseProgress> progress,
        IServerStreamWriter<RebaseBranchEvent> responseStream, CancellationToken cancellationToken)
    {
        await foreach (var step in progress.ReadAllAsync(cancellationToken))
            await responseStream.WriteAsync(new RebaseBranchEvent { Progress = step }, cancellationToken);
    }

    public override async Task<CherryPickResponse> CherryPick(CherryPickRequest request, ServerCallContext context)
        => (await store.CherryPickAsync(CallIdentity.Of(context), request.Commit, request.Branch, context.CancellationToken)).ToProto();

    public override async Task<MergeRequest> CreateMergeRequest(CreateMergeRequestRequest request, ServerCallContext context)
        => (await store.CreateMergeRequestAsync(CallIdentity.Of(context), request.SourceBranch, request.TargetBranch, request.Title,
            NullIfEmpty(request.Description), NullIfEmpty(request.Reviewer), context.CancellationToken)).ToProto();

    public override async Task<MergeRequest> GetMergeRequest(GetMergeRequestRequest request, ServerCallContext context)
        => (await store.GetMergeRequestAsync(CallIdentity.Of(context), MergeRequestId(request.Id), context.CancellationToken)).ToProto();

    public override async Task<ListMergeRequestsResponse> ListMergeRequests(ListMergeRequestsRequest request, ServerCallContext context)
    {
        const string list = "merge_requests";
        var size = Paging.PageSize(request.PageSize, DefaultPage);
        var scope = string.Join('\n', request.Status, request.TargetBranch, request.SourceBranch);
        var position = Paging.Decode(request.PageToken, list, scope, 1);
        Guid? afterId = position is null ? null : Paging.Uuid(request.PageToken, position[0]);
        var rows = await store.ListMergeRequestsAsync(CallIdentity.Of(context), NullIfEmpty(request.Status), NullIfEmpty(request.TargetBranch),
            NullIfEmpty(request.SourceBranch), afterId, size + 1, context.CancellationToken);
        var response = new ListMergeRequestsResponse { MergeRequests = { rows.Take(size).Select(r => r.ToProto()) } };
        if (rows.Count > size) response.NextPageToken = Paging.Encode(list, scope, rows[size - 1].MrId.ToString());
        return response;
    }

    public override async Task<MergeRequest> ApproveMergeRequest(ApproveMergeRequestRequest request, ServerCallContext context)
        => (await store.ApproveMergeRequestAsync(CallIdentity.Of(context), MergeRequestId(request.Id), NullIfEmpty(request.Notes),
            context.CancellationToken)).ToProto();

    public override async Task<MergeRequest> CompleteMergeRequest(CompleteMergeRequestRequest request, ServerCallContext context)
        => (await store.CompleteMergeRequestAsync(CallIdentity.Of(context), MergeRequestId(request.Id), context.CancellationToken)).ToProto();

    public override async Task<MergeRequest> CloseMergeRequest(CloseMergeRequestRequest request, ServerCallContext context)
        => (await store.CloseMergeRequestAsync(CallIdentity.Of(context), MergeRequestId(request.Id), context.CancellationToken)).ToProto();

    /// <summary>A merge_id field: empty = null (the SQL layer then means the only pending merge); anything else must be a uuid.</summary>
    private static Guid? OptionalMergeId(string value)
        => value.Length == 0 ? null : Uuid(value, "merge_id", "list pending merges with ListMerges");

    private static Guid MergeRequestId(string value) => Uuid(value, "id", "list merge requests with ListMergeRequests");

    private static Guid Uuid(string value, string field, string wayForward)
        => Guid.TryParseExact(value, "D", out var id)
            ? id
            : throw ApiErrors.InvalidArgument("INVALID_ID", $"{field} '{value}' is not an id (a uuid such as 3f2b8c1e-6d4a-4b7e-9a51-0c2d7e8f9a10); {wayForward}",
                field, value);
}
