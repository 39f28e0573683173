using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Services;

/// <summary>AnalyticsService (analytics.proto): one RPC per insight view of sql/pggit_v0_views.sql.</summary>
public sealed class AnalyticsService(AnalyticsStore store) : Api.AnalyticsService.AnalyticsServiceBase
{
    private const int DefaultPage = 100;

    public override async Task<ListRecentCommitsByAuthorResponse> ListRecentCommitsByAuthor(ListRecentCommitsByAuthorRequest request, ServerCallContext context)
        => new() { Authors = { (await store.RecentCommitsByAuthorAsync(CallIdentity.Of(context), context.CancellationToken)).Select(r => r.ToProto()) } };

    public override async Task<ListMostChangedObjectsResponse> ListMostChangedObjects(ListMostChangedObjectsRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultPage);
        var position = Paging.Decode(request.PageToken, "most_changed_objects", "", 2);
        var rows = await store.MostChangedObjectsAsync(CallIdentity.Of(context), position is null ? null : Paging.Number(request.PageToken, position[0]),
            position?[1], size + 1, context.CancellationToken);
        var response = new ListMostChangedObjectsResponse { Objects = { rows.Take(size).Select(r => r.ToProto()) } };
        if (rows.Count > size)
        {
            var last = rows[size - 1];
            response.NextPageToken = Paging.Encode("most_changed_objects", "", Invariant(last.ChangeCount), last.ObjectPath);
        }
        return response;
    }

    public override async Task<ListBranchComparisonResponse> ListBranchComparison(ListBranchComparisonRequest request, ServerCallContext context)
        => new() { Branches = { (await store.BranchComparisonAsync(CallIdentity.Of(context), context.CancellationToken)).Select(r => r.ToProto()) } };

    public override async Task<ListDailyChangeSummaryResponse> ListDailyChangeSummary(ListDailyChangeSummaryRequest request, ServerCallContext context)
        => new() { Days = { (await store.DailyChangeSummaryAsync(CallIdentity.Of(context), context.CancellationToken)).Select(r => r.ToProto()) } };

    public override async Task<ListSchemaGrowthHistoryResponse> ListSchemaGrowthHistory(ListSchemaGrowthHistoryRequest request, ServerCallContext context)
        => new() { Points = { (await store.SchemaGrowthHistoryAsync(CallIdentity.Of(context), context.CancellationToken)).Select(r => r.ToProto()) } };

    public override async Task<ListAuthorActivityResponse> ListAuthorActivity(ListAuthorActivityRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultPage);
        var position = Paging.Decode(request.PageToken, "author_activity", request.Author, 4);
        var after = position is null
            ? null
            : new AuthorActivityPosition(new DateTime(Paging.Number(request.PageToken, position[0]), DateTimeKind.Utc),
                (int)Paging.Number(request.PageToken, position[1]), position[2], position[3]);
        var rows = await store.AuthorActivityAsync(CallIdentity.Of(context), HistoryService.NullIfEmpty(request.Author), after, size + 1, context.CancellationToken);
        var response = new ListAuthorActivityResponse { Activities = { rows.Take(size).Select(r => r.ToProto()) } };
        if (rows.Count > size)
        {
            var last = rows[size - 1];
            response.NextPageToken = Paging.Encode("author_activity", request.Author, Invariant(last.CommittedAt.ToUniversalTime().Ticks),
                Invariant(last.Generation), last.CommitSha, last.ObjectPath);
        }
        return response;
    }

    public override async Task<ListCommitsWithoutMessageResponse> ListCommitsWithoutMessage(ListCommitsWithoutMessageRequest request, ServerCallContext context)
        => new() { Commits = { (await store.CommitsWithoutMessageAsync(CallIdentity.Of(context), context.CancellationToken)).Select(r => r.ToProto()) } };

    public override async Task<ListOrphanedObjectsResponse> ListOrphanedObjects(ListOrphanedObjectsRequest request, ServerCallContext context)
    {
        var size = Paging.PageSize(request.PageSize, DefaultPage);
        var afterSha = Paging.Decode(request.PageToken, "orphaned_objects", "", 1)?[0];
        var rows = await store.OrphanedObjectsAsync(CallIdentity.Of(context), afterSha, size + 1, context.CancellationToken);
        var response = new ListOrphanedObjectsResponse { Objects = { rows.Take(size).Select(r => r.ToProto()) } };
        if (rows.Count > size) response.NextPageToken = Paging.Encode("orphaned_objects", "", rows[size - 1].Sha);
        return response;
    }

    public override async Task<ListLargeCommitsResponse> ListLargeCommits(ListLargeCommitsRequest request, ServerCallContext context)
        => new() { Commits = { (await store.LargeCommitsAsync(CallIdentity.Of(context), context.CancellationToken)).Select(r => r.ToProto()) } };

    private static string Invariant(long number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
