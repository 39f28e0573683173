using Grpc.Core;
using Grpc.Core.Interceptors;
using PgGitV0.Server.Errors;
using PgGitV0.Server.Hosting;

namespace PgGitV0.Server.Security;

/// <summary>
/// Authenticates every call by its API key (<c>authorization: Bearer &lt;key&gt;</c>), checks the key's
/// role against the RPC's (<see cref="RpcPermissions"/>), and attaches the identity that the data
/// layer passes to SQL as pggit.actor. No or an unknown key is UNAUTHENTICATED; too low a role is
/// PERMISSION_DENIED.
/// </summary>
public sealed class AuthInterceptor(ApiKeyAuthenticator authenticator, ServerOptions options) : Interceptor
{
    private const string BearerPrefix = "Bearer ";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    private async Task AuthorizeAsync(ServerCallContext context)
    {
        if (RpcPermissions.IsAnonymous(context.Method)) return;
        if (!options.RequireApiKeys)
        {
            CallIdentity.Development.AttachTo(context);
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
            throw ApiErrors.Create(StatusCode.Unauthenticated, "API_KEY_MISSING",
                "no API key: send the header 'authorization: Bearer <key>'; an admin creates keys with: keys add --name <name> --role reader|writer|admin");

        var identity = await authenticator.AuthenticateAsync(header[BearerPrefix.Length..].Trim(), context.CancellationToken)
            ?? throw ApiErrors.Create(StatusCode.Unauthenticated, "API_KEY_INVALID",
                "the API key is unknown or revoked; ask an admin for a new one (keys add)");

        var required = RpcPermissions.RequiredRole(context.Method);
        if (identity.Role < required)
            throw ApiErrors.Create(StatusCode.PermissionDenied, "ROLE_TOO_LOW",
                $"API key '{identity.Actor}' has role {ApiRoles.Name(identity.Role)}; {context.Method} needs {ApiRoles.Name(required)}",
                new Dictionary<string, string>
                {
                    ["value"] = identity.Actor ?? "",
                    ["role"] = ApiRoles.Name(identity.Role),
                    ["required_role"] = ApiRoles.Name(required),
                });
        identity.AttachTo(context);
    }
}
