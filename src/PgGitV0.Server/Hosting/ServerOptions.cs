namespace PgGitV0.Server.Hosting;

/// <summary>
/// The server's settings, read from configuration (environment variables, command line):
/// PGGIT_CONNECTION, PGGIT_AUTH (apikey | none), PGGIT_ACTIVITY_POLL_MS, PGGIT_SUBSCRIBER_BUFFER,
/// PGGIT_KEY_CACHE_SECONDS, and the TLS settings read by <see cref="TlsCertificate"/>.
/// </summary>
public sealed class ServerOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>False only with the explicit development setting PGGIT_AUTH=none (or --no-auth).</summary>
    public bool RequireApiKeys { get; init; } = true;

    /// <summary>How often the activity table is read even when no notification arrives (the fallback).</summary>
    public TimeSpan ActivityPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events buffered per subscriber; a subscriber that falls further behind reads from the table instead.</summary>
    public int SubscriberBufferSize { get; init; } = 256;

    /// <summary>How long a valid API key is remembered without asking the database again.</summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The sql/ folder to install from; null = the one shipped with the server.</summary>
    public string? SqlDirectory { get; init; }

    public static ServerOptions FromConfiguration(IConfiguration configuration, string connectionString)
    {
        var auth = configuration["PGGIT_AUTH"] ?? "apikey";
        if (auth is not ("apikey" or "none"))
            throw new ArgumentException($"PGGIT_AUTH '{auth}' is unknown; use apikey (the default) or none (development only)");
        return new ServerOptions
        {
            ConnectionString = connectionString,
            RequireApiKeys = auth == "apikey",
            ActivityPollInterval = TimeSpan.FromMilliseconds(configuration.GetValue("PGGIT_ACTIVITY_POLL_MS", 1000)),
            SubscriberBufferSize = configuration.GetValue("PGGIT_SUBSCRIBER_BUFFER", 256),
            KeyCacheDuration = TimeSpan.FromSeconds(configuration.GetValue("PGGIT_KEY_CACHE_SECONDS", 30)),
            SqlDirectory = configuration["PGGIT_SQL_DIRECTORY"],
        };
    }
}
