using Grpc.Core;

namespace PgGitV0.Server.Security;

/// <summary>What an API key may do; each role includes the ones below it.</summary>
public enum ApiRole
{
    Reader = 1,
    Writer = 2,
    Admin = 3,
}

public static class ApiRoles
{
    public static string Name(ApiRole role) => role.ToString().ToLowerInvariant();

    public static ApiRole Parse(string text) => text.ToLowerInvariant() switch
    {
        "reader" => ApiRole.Reader,
        "writer" => ApiRole.Writer,
        "admin" => ApiRole.Admin,
        _ => throw new ArgumentException($"role '{text}' is unknown; use reader, writer or admin"),
    };
}

/// <summary>Who makes a call: the API key's name (null = the database user, in development mode) and its role.</summary>
public sealed record CallIdentity(string? Actor, ApiRole Role)
{
    private const string UserStateKey = "pggit.identity";

    /// <summary>The identity of every call when authentication is switched off.</summary>
    public static readonly CallIdentity Development = new(null, ApiRole.Admin);

    public void AttachTo(ServerCallContext context) => context.UserState[UserStateKey] = this;

    /// <summary>The identity the authentication interceptor attached to the call.</summary>
    public static CallIdentity Of(ServerCallContext context)
        => context.UserState.TryGetValue(UserStateKey, out var value) && value is CallIdentity identity
            ? identity
            : throw new InvalidOperationException($"no identity attached to call {context.Method}; is the authentication interceptor registered?");
}
