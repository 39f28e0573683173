using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Services;

/// <summary>HistoryService (history.proto): commits, objects, histories and diffs, each RPC one pggit_v0 function call.</summary>
public sealed class HistoryService(HistoryStore store) : Api.HistoryService.HistoryServiceBase
{
    private const int DefaultCommitPage = 50;
    private const int DefaultObjectPage = 100;
    private const int DefaultHistoryLimit = 10;
    private const int ExportBatch = 500;

    public override async Task<CreateCommitResponse> CreateCommit(CreateCommitRequest request, ServerCallContext context)
    {
        var (commit, created) = await store.CreateCommitAsync(CallIdentity.Of(context), request.Message, NullIfEmpty(request.Author), context.CancellationToken);
        return new CreateCommitResponse { Commit = commit.ToProto(), Created = created, Branch = commit.Branch };
    }

    public override async Task<ListCommitsResponse> ListCommits(ListCommitsRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultCommitPage);
        var since = request.Since is null ? (DateTimeOffset?)null : request.Since.ToDateTimeOffset();
        var scope = string.Join('\n', request.Branch, request.Author, since?.ToUnixTimeSeconds().ToString() ?? "");
        var afterSha = Paging.Decode(request.PageToken, "commits", scope, 1)?[0];
        var rows = await store.ListCommitsAsync(CallIdentity.Of(context), NullIfEmpty(request.Branch), afterSha, size + 1,
            NullIfEmpty(request.Author), since, context.CancellationToken);
        var response = new ListCommitsResponse();
        response.Commits.AddRange(rows.Take(size).Select(r => r.ToProto()));
        if (rows.Count > size) response.NextPageToken = Paging.Encode("commits", scope, rows[size - 1].CommitSha);
        return response;
    }

    public override async Task<Commit> GetCommit(GetCommitRequest request, ServerCallContext context)
    {
        var row = await store.GetCommitAsync(CallIdentity.Of(context), NullIfEmpty(request.Ref), context.CancellationToken);
        // get_commit raises P0002 itself for a ref that names nothing; no row means no such commit all the same.
        return row?.ToProto() ?? throw Errors.ApiErrors.Create(StatusCode.NotFound, "NOT_FOUND", $"commit '{request.Ref}' not found");
    }

    public override async Task<ListObjectsResponse> ListObjects(ListObjectsRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultObjectPage);
        var position = Paging.Decode(request.PageToken, "objects", request.Ref, 2);
        // Later pages read the commit the first page resolved, even if the ref moved since.
        var rows = await store.ListObjectsAsync(CallIdentity.Of(context), position?[0] ?? NullIfEmpty(request.Ref), position?[1], size + 1,
            context.CancellationToken);
        var response = new ListObjectsResponse { CommitSha = rows.Count > 0 ? rows[0].CommitSha : position?[0] ?? "" };
        response.Objects.AddRange(rows.Take(size).Select(r => r.ToProto()));
        if (rows.Count > size) response.NextPageToken = Paging.Encode("objects", request.Ref, rows[size - 1].CommitSha, rows[size - 1].Path);
        return response;
    }

    public override async Task<GetObjectResponse> GetObject(GetObjectRequest request, ServerCallContext context)
    {
        var row = await store.GetObjectAsync(CallIdentity.Of(context), NullIfEmpty(request.Ref), NullIfEmpty(request.SchemaName),
            NullIfEmpty(request.ObjectName), ProtoMapping.ObjectTypeToSql(request.ObjectType), NullIfEmpty(request.Path), context.CancellationToken);
        return row?.ToProto() ?? throw Errors.ApiErrors.Create(StatusCode.NotFound, "NOT_FOUND", $"object '{request.ObjectName}{request.Path}' not found");
    }

    public override async Task<GetObjectHistoryResponse> GetObjectHistory(GetObjectHistoryRequest request, ServerCallContext context)
    {
        // A negative limit goes to SQL, which rejects it (22023) with the value in its message.
        var limit = request.Limit == 0 ? DefaultHistoryLimit : request.Limit;
        var rows = await store.GetObjectHistoryAsync(CallIdentity.Of(context), NullIfEmpty(request.SchemaName), request.ObjectName, limit,
            context.CancellationToken);
        return new GetObjectHistoryResponse { Entries = { rows.Select(r => r.ToProto()) } };
    }

    public override async Task<DiffResponse> DiffCommits(DiffCommitsRequest request, ServerCallContext context)
    {
        var rows = await store.DiffCommitsAsync(CallIdentity.Of(context), NullIfEmpty(request.OldRef), NullIfEmpty(request.NewRef), context.CancellationToken);
        return new DiffResponse { Changes = { rows.Select(r => r.ToProto()) } };
    }

    public override async Task<DiffResponse> DiffBranches(DiffBranchesRequest request, ServerCallContext context)
    {
        var rows = await store.DiffBranchesAsync(CallIdentity.Of(context), NullIfEmpty(request.Branch1), NullIfEmpty(request.Branch2),
            request.FromMergeBase, context.CancellationToken);
        return new DiffResponse { Changes = { rows.Select(r => r.ToProto()) } };
    }

    public override async Task<GetMergeBaseResponse> GetMergeBase(GetMergeBaseRequest request, ServerCallContext context)
        => new() { MergeBaseSha = await store.MergeBaseAsync(CallIdentity.Of(context), NullIfEmpty(request.Ref1), NullIfEmpty(request.Ref2), context.CancellationToken) ?? "" };

    public override async Task ExportRepository(ExportRepositoryRequest request, IServerStreamWriter<ExportItem> responseStream, ServerCallContext context)
    {
        var identity = CallIdentity.Of(context);
        string[] branches = [.. request.Branches];
        // Refs first: objects are immutable and written before any ref points at them, so every object
        // these refs reach is already stored when the object listing starts.
        var (refs, headBranch) = await store.ExportRefsAsync(identity, branches, context.CancellationToken);
        if (branches.Length == 0)
        {
            string? afterSha = null;
            IReadOnlyList<GitObjectRow> batch;
            do
            {
                batch = await store.ExportObjectsAsync(identity, afterSha, ExportBatch, context.CancellationToken);
                await WriteObjectsAsync(batch, responseStream, context.CancellationToken);
                if (batch.Count > 0) afterSha = batch[^1].Sha;
            } while (batch.Count == ExportBatch);
        }
        else
        {
            // From the tips just read, not the names: a branch that moves meanwhile cannot point outside the stream.
            var tips = refs.Where(r => r.Type == "branch").Select(r => r.TargetSha).ToArray();
            var reachable = await store.ReachableObjectsAsync(identity, tips, context.CancellationToken);
            foreach (var shas in reachable.Chunk(ExportBatch))
                await WriteObjectsAsync(await store.ExportObjectsAsync(identity, shas, context.CancellationToken), responseStream, context.CancellationToken);
        }
        foreach (var row in refs)
            await responseStream.WriteAsync(new ExportItem { Ref = row.ToProto() }, context.CancellationToken);
        await responseStream.WriteAsync(new ExportItem { HeadBranch = headBranch }, context.CancellationToken);
    }

    private static async Task WriteObjectsAsync(IReadOnlyList<GitObjectRow> rows, IServerStreamWriter<ExportItem> responseStream, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
            await responseStream.WriteAsync(new ExportItem { Object = row.ToProto() }, cancellationToken);
    }

    internal static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
