using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Errors;
using PgGitV0.Server.Streaming;

namespace PgGitV0.Server.Services;

/// <summary>MonitoringService (monitoring.proto): the activity stream, fed by the process's <see cref="ActivityHub"/>.</summary>
public sealed class MonitoringService(ActivityHub hub, ActivityStore store, IHostApplicationLifetime lifetime) : Api.MonitoringService.MonitoringServiceBase
{
    public override async Task StreamActivity(StreamActivityRequest request, IServerStreamWriter<ActivityEvent> responseStream, ServerCallContext context)
    {
        if (request.HasAfterId && request.AfterId < 0)
            throw ApiErrors.InvalidArgument("INVALID_AFTER_ID", $"after_id {request.AfterId} is negative; event ids start at 1", "after_id", request.AfterId.ToString());
        var filter = new ActivityFilter(
            request.Kinds.Count > 0 ? request.Kinds.ToArray() : null,
            HistoryService.NullIfEmpty(request.Branch));

        // A shutting-down server ends its streams so clients resume (with after_id) elsewhere.
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        using var subscription = await hub.SubscribeAsync(filter, stream.Token);
        var afterId = request.HasAfterId ? request.AfterId : await store.MaxIdAsync(stream.Token);
        try
        {
            await foreach (var row in subscription.ReadAsync(afterId, stream.Token))
                await responseStream.WriteAsync(row.ToProto(), stream.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw ApiErrors.Create(StatusCode.Unavailable, "SHUTTING_DOWN", "the server is shutting down; resume the stream with after_id set to the last id received");
        }
    }
}
