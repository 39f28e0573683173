using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;
using PgGitV0.Server.Hosting;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Errors;

/// <summary>
/// The one place errors become gRPC statuses: SQLSTATEs of the SQL layer map to their codes
/// (DESIGN.md section 4) with the SQL message; a lost database is UNAVAILABLE; cancellation and
/// deadlines are CANCELLED / DEADLINE_EXCEEDED; anything else is logged with a correlation id and
/// returned as INTERNAL without internals. Until the SQL layer is installed, calls are UNAVAILABLE.
/// </summary>
public sealed class ErrorInterceptor(SqlLayerInitializer sqlLayer, ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        EnsureReady(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        EnsureReady(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        EnsureReady(context);
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        EnsureReady(context);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    private void EnsureReady(ServerCallContext context)
    {
        if (!sqlLayer.IsReady && !RpcPermissions.IsAnonymous(context.Method))
            throw ApiErrors.Create(StatusCode.Unavailable, "NOT_READY",
                "the server has not installed the pggit_v0 SQL layer yet (is the database reachable?); retry shortly");
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        if (exception is OperationCanceledException || exception is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled })
        {
            if (context.Deadline <= DateTime.UtcNow)
                return ApiErrors.Create(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED", "the call's deadline passed before the database answered");
            if (context.CancellationToken.IsCancellationRequested)
                return ApiErrors.Create(StatusCode.Cancelled, "CANCELLED", "the call was cancelled");
        }

        if (exception is PostgresException postgres && SqlStateMapping.TryMap(postgres.SqlState, out var code, out var reason))
        {
            var metadata = new Dictionary<string, string> { ["sqlstate"] = postgres.SqlState };
            if (SqlStateMapping.OffendingValue(postgres.MessageText) is { } value) metadata["value"] = value;
            if (!string.IsNullOrEmpty(postgres.Hint)) metadata["hint"] = postgres.Hint;
            if (code == StatusCode.Unavailable)
                logger.LogWarning("{Method}: database unavailable ({SqlState}): {Message}", context.Method, postgres.SqlState, postgres.MessageText);
            else
                logger.LogDebug("{Method}: {Code} {SqlState}: {Message}", context.Method, code, postgres.SqlState, postgres.MessageText);
            return ApiErrors.Create(code, reason, postgres.MessageText, metadata);
        }

        var correlationId = Guid.NewGuid().ToString("N")[..12];
        if (exception is NpgsqlException and not PostgresException)
        {
            logger.LogWarning(exception, "{Method}: database unreachable (correlation id {CorrelationId})", context.Method, correlationId);
            return ApiErrors.Create(StatusCode.Unavailable, "DATABASE_UNAVAILABLE",
                $"the database is unreachable; retry later (correlation id {correlationId})",
                new Dictionary<string, string> { ["correlation_id"] = correlationId });
        }

        logger.LogError(exception, "{Method}: unexpected error (correlation id {CorrelationId})", context.Method, correlationId);
        return ApiErrors.Create(StatusCode.Internal, "INTERNAL",
            $"internal error (correlation id {correlationId}); the server's log has the details",
            new Dictionary<string, string> { ["correlation_id"] = correlationId });
    }
}
