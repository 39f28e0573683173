using Microsoft.AspNetCore.Server.Kestrel.Core;
using PgGitV0.Database;
using PgGitV0.Server.Data;
using PgGitV0.Server.Errors;
using PgGitV0.Server.Security;
using PgGitV0.Server.Services;
using PgGitV0.Server.Streaming;

namespace PgGitV0.Server.Hosting;

/// <summary>Builds the server: configuration, database, interceptors, services, health and reflection.</summary>
public static class PgGitServer
{
    public const string DefaultUrl = "http://127.0.0.1:50051";
    private const string NoAuthSwitch = "--no-auth";

    /// <param name="args">command-line arguments (--urls, --no-auth, --KEY=value settings)</param>
    /// <param name="settings">settings that override every other source (tests)</param>
    public static async Task<WebApplication> BuildAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null,
        CancellationToken cancellationToken = default)
    {
        var noAuth = args.Contains(NoAuthSwitch);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => a != NoAuthSwitch).ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (noAuth) builder.Configuration.AddInMemoryCollection([new("PGGIT_AUTH", "none")]);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var configuration = builder.Configuration;

        var (connectionString, cluster) = await DatabaseConnection.ResolveAsync(configuration, cancellationToken);
        var options = ServerOptions.FromConfiguration(configuration, connectionString);
        var certificate = TlsCertificate.Load(configuration);
        ConfigureKestrel(builder, certificate);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new PgGitDatabase(connectionString));
        services.AddSingleton(sp => sp.GetRequiredService<PgGitDatabase>().DataSource);
        services.AddSingleton<HistoryStore>();
        services.AddSingleton<BranchStore>();
        services.AddSingleton<MergeStore>();
        services.AddSingleton<AnalyticsStore>();
        services.AddSingleton<ActivityStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<SqlLayerInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<SqlLayerInitializer>());
        services.AddSingleton<ActivityHub>();
        services.AddHostedService(sp => sp.GetRequiredService<ActivityHub>());
        services.AddSingleton<ErrorInterceptor>();
        services.AddSingleton<AuthInterceptor>();
        services.AddGrpc(grpc =>
        {
            // Outermost first: errors wrap authentication so its failures are shaped the same way.
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.Interceptors.Add<AuthInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        var app = builder.Build();
        app.MapGrpcService<HistoryService>();
        app.MapGrpcService<BranchService>();
        app.MapGrpcService<MergeService>();
        app.MapGrpcService<AnalyticsService>();
        app.MapGrpcService<MonitoringService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PgGitV0.Server");
        if (!options.RequireApiKeys)
            logger.LogWarning("AUTHENTICATION IS OFF (PGGIT_AUTH=none / --no-auth): anyone who reaches this port can read and write as {User}. Development only.",
                new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Username);
        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, options, cluster, certificate is not null, logger));
        return app;
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        var configuration = builder.Configuration;
        var addressConfigured = !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
                                || !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!addressConfigured)
            builder.WebHost.UseUrls(certificate is null ? DefaultUrl : DefaultUrl.Replace("http://", "https://"));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // gRPC is HTTP/2 only; on plain-text endpoints that means h2c (prior knowledge).
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2);
            if (certificate is not null)
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });
    }

    private static void PrintWelcome(WebApplication app, ServerOptions options, LocalCluster? cluster, bool tls, ILogger logger)
    {
        foreach (var url in app.Urls)
            logger.LogInformation("pggit_v0 server listening on {Url} ({Protocol})", url, url.StartsWith("https", StringComparison.Ordinal) ? "HTTP/2 over TLS" : "h2c");
        var endpoint = app.Urls.FirstOrDefault() ?? DefaultUrl;
        var hostPort = new Uri(endpoint).Authority;
        var database = cluster is null
            ? DatabaseConnection.Describe(options.ConnectionString)
            : $"{DatabaseConnection.Describe(options.ConnectionString)} (local cluster in {cluster.Root}, kept between runs; psql -h 127.0.0.1 -p {cluster.Port} -U postgres)";
        var auth = options.RequireApiKeys ? "-H \"authorization: Bearer $PGGIT_API_KEY\" " : "";
        const string firstPage = "-d '{\"page_size\": 5}'";
        logger.LogInformation("{Welcome}", $"""
            pggit_v0 server: {endpoint}
              database:   {database}
              API keys:   {(options.RequireApiKeys ? "required; create one: dotnet run --project src/PgGitV0.Server -- keys add --name me --role admin" : "OFF (development setting)")}
              PowerShell: Import-Module ./out/PgGitV0/PgGitV0.psd1; Connect-PgGit -Endpoint {endpoint}{(options.RequireApiKeys ? " -ApiKey (Read-Host -AsSecureString 'API key')" : "")}
              grpcurl:    grpcurl {(tls ? "-insecure" : "-plaintext")} {hostPort} list
                          grpcurl {(tls ? "-insecure" : "-plaintext")} {auth}{firstPage} {hostPort} pggit.v0.HistoryService/ListCommits
            """);
    }
}
