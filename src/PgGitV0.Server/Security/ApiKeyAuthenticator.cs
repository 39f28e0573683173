using System.Collections.Concurrent;
using PgGitV0.Server.Data;
using PgGitV0.Server.Hosting;

namespace PgGitV0.Server.Security;

/// <summary>
/// Turns a presented API key into an identity. Valid keys are cached for a short while so a call
/// costs no extra database round trip; a key change (keys revoke) is announced with NOTIFY, on which
/// every replica drops its cache at once, and the cache duration bounds how long a missed
/// announcement could matter.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiKeyStore store, ServerOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (CallIdentity Identity, DateTimeOffset ExpiresAt)> _cache = new(StringComparer.Ordinal);
    private long _generation;

    public async ValueTask<CallIdentity?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(key);
        var cacheKey = Convert.ToHexString(hash);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.ExpiresAt > now)
            return cached.Identity;

        var generation = Interlocked.Read(ref _generation);
        var identity = await store.FindAsync(hash, cancellationToken);
        // A lookup that raced with an invalidation must not put a possibly revoked key back.
        if (identity is not null && generation == Interlocked.Read(ref _generation))
            _cache[cacheKey] = (identity, now + options.KeyCacheDuration);
        return identity;
    }

    /// <summary>Forgets every cached key (on a key change, or when change announcements may have been missed).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }
}
