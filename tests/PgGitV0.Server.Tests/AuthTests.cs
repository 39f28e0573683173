using Grpc.Core;
using Microsoft.Extensions.Configuration;
using PgGitV0.Api;
using PgGitV0.Server.Cli;
using PgGitV0.Server.Security;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

public sealed class AuthTests : IAsyncLifetime
{
    private ServerHost _host = null!;

    public async Task InitializeAsync()
    {
        // A long cache: a revoked key can only be refused quickly through the NOTIFY invalidation.
        _host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["PGGIT_KEY_CACHE_SECONDS"] = "3600" });
        await History.StartAsync(_host.Database);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_call_without_a_key_is_unauthenticated()
    {
        var (_, info) = await RpcAssert.FailsAsync(StatusCode.Unauthenticated,
            () => _host.History(null).GetCommitAsync(new GetCommitRequest()).ResponseAsync);
        Assert.Equal("API_KEY_MISSING", info.Reason);

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated,
            () => _host.Branches(null).ListBranchesAsync(new ListBranchesRequest()).ResponseAsync);
        var stream = _host.Monitoring(null).StreamActivity(new StreamActivityRequest { AfterId = 0 });
        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => stream.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task A_wrong_key_is_unauthenticated()
    {
        var (_, info) = await RpcAssert.FailsAsync(StatusCode.Unauthenticated,
            () => _host.History(ApiKeys.Generate()).GetCommitAsync(new GetCommitRequest()).ResponseAsync);
        Assert.Equal("API_KEY_INVALID", info.Reason);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_even_though_it_was_cached()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("PGGIT_CONNECTION", _host.Database.ConnectionString)]).Build();
        var output = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(["add", "--name", "temp", "--role", "reader"], configuration, output, TextWriter.Null));
        var key = output.ToString().Trim();
        var history = _host.History(key);
        await history.GetCommitAsync(new GetCommitRequest());

        Assert.Equal(0, await KeysCommand.RunAsync(["revoke", "--name", "temp"], configuration, TextWriter.Null, TextWriter.Null));

        var refusedWithin = DateTime.UtcNow.AddSeconds(10);
        RpcException? refused = null;
        while (refused is null && DateTime.UtcNow < refusedWithin)
        {
            try
            {
                await history.GetCommitAsync(new GetCommitRequest());
                await Task.Delay(50);
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task A_reader_calling_a_writer_rpc_is_permission_denied()
    {
        var (exception, info) = await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => _host.History(_host.ReaderKey).CreateCommitAsync(new CreateCommitRequest { Message = "nope" }).ResponseAsync);
        Assert.Equal("ROLE_TOO_LOW", info.Reason);
        Assert.Equal((ServerHost.ReaderName, "reader", "writer"), (info.Metadata["value"], info.Metadata["role"], info.Metadata["required_role"]));
        Assert.Contains("/pggit.v0.HistoryService/CreateCommit", exception.Status.Detail);
        Assert.Equal(0, await _host.Database.ScalarAsync<long>("SELECT count(*) FROM pggit_v0.commit_graph WHERE message = 'nope'"));
    }

    [Fact]
    public async Task The_actor_recorded_in_activity_and_the_commit_author_is_the_keys_name()
    {
        await _host.Database.ExecuteAsync("CREATE TABLE public.audit_me (id int)");
        var response = await _host.History(_host.WriterKey).CreateCommitAsync(new CreateCommitRequest { Message = "add audit_me" });

        Assert.True(response.Created);
        Assert.Equal("main", response.Branch);
        Assert.Equal((ServerHost.WriterName, "add audit_me"), (response.Commit.Author, response.Commit.Message));
        var activity = await _host.Database.QueryAsync<(string Kind, string Actor)>(
            "SELECT kind, actor FROM pggit_v0.activity WHERE sha = @sha", new { sha = response.Commit.Sha });
        Assert.Equal(("commit", ServerHost.WriterName), Assert.Single(activity));
        Assert.Equal(ServerHost.WriterName, await _host.Database.ScalarAsync<string>(
            "SELECT actor FROM pggit_v0.ref_log WHERE new_sha = @sha", new { sha = response.Commit.Sha }));

        // The setting is local to each call: pooled connections carry no identity from one call into the next.
        for (var i = 0; i < 5; i++)
        {
            await _host.History(_host.ReaderKey).GetCommitAsync(new GetCommitRequest());
            await _host.History(_host.AdminKey).GetCommitAsync(new GetCommitRequest());
        }
        var readers = await _host.Database.QueryAsync<string>(
            "SELECT actor FROM pggit_v0.operation_metrics WHERE operation = 'get_commit' ORDER BY id DESC LIMIT 10");
        Assert.Equal(5, readers.Count(a => a == ServerHost.ReaderName));
        Assert.Equal(5, readers.Count(a => a == ServerHost.AdminName));
    }

    [Fact]
    public async Task CreateCommit_with_nothing_changed_returns_the_head_without_a_commit()
    {
        var writer = _host.History(_host.WriterKey);
        var head = await _host.Database.ScalarAsync<string>("SELECT pggit_v0.resolve_ref('main')");
        var response = await writer.CreateCommitAsync(new CreateCommitRequest { Message = "nothing", Author = "Someone Else <se@example.com>" });
        Assert.False(response.Created);
        Assert.Equal(head, response.Commit.Sha);

        await _host.Database.ExecuteAsync("CREATE VIEW public.fresh AS SELECT 1 AS one");
        var made = await writer.CreateCommitAsync(new CreateCommitRequest { Message = "fresh view", Author = "Someone Else <se@example.com>" });
        Assert.True(made.Created);
        Assert.Equal(("Someone Else", "se@example.com", head), (made.Commit.Author, made.Commit.AuthorEmail, made.Commit.ParentShas.Single()));
    }

    [Fact]
    public async Task An_admin_key_may_call_writer_rpcs_and_health_needs_no_key()
    {
        await _host.Database.ExecuteAsync("CREATE VIEW public.by_admin AS SELECT 2 AS two");
        var response = await _host.History(_host.AdminKey).CreateCommitAsync(new CreateCommitRequest { Message = "by admin" });
        Assert.Equal(ServerHost.AdminName, response.Commit.Author);

        var health = new Grpc.Health.V1.Health.HealthClient(_host.Channel);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest())).Status);
    }

    [Fact]
    public void Every_rpc_of_every_service_has_a_required_role()
    {
        var methods = new[] { HistoryService.Descriptor, BranchService.Descriptor, MergeService.Descriptor, AnalyticsService.Descriptor, MonitoringService.Descriptor }
            .SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(methods, RpcPermissions.All.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ApiRole.Writer, RpcPermissions.RequiredRole("/pggit.v0.HistoryService/CreateCommit"));
        Assert.Equal(ApiRole.Admin, RpcPermissions.RequiredRole("/pggit.v0.HistoryService/SomethingNew"));
    }
}

public sealed class NoAuthTests
{
    [Fact]
    public async Task Without_keys_calls_run_as_the_database_user_only_when_switched_off_explicitly()
    {
        await using var host = await ServerHost.StartAsync(new Dictionary<string, string?> { ["PGGIT_AUTH"] = "none" });
        await History.StartAsync(host.Database);
        await host.Database.ExecuteAsync("CREATE VIEW public.dev AS SELECT 1 AS one");

        var response = await host.History(null).CreateCommitAsync(new CreateCommitRequest { Message = "dev commit" });

        Assert.Equal("postgres", response.Commit.Author);
        Assert.Equal("postgres", await host.Database.ScalarAsync<string>("SELECT actor FROM pggit_v0.activity WHERE sha = @sha", new { sha = response.Commit.Sha }));
    }

    [Fact]
    public async Task An_unknown_auth_setting_is_refused_at_start()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => ServerHost.StartAsync(new Dictionary<string, string?> { ["PGGIT_AUTH"] = "nothing" }, waitUntilReady: false));
        Assert.Contains("PGGIT_AUTH 'nothing'", error.Message);
    }
}

public sealed class KeysCommandTests
{
    [Fact]
    public async Task Keys_are_added_once_listed_without_the_key_and_revoked()
    {
        await using var database = await PgGitV0.Testing.TestDatabase.CreateAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("PGGIT_CONNECTION", database.ConnectionString)]).Build();

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(["add", "--name", "ci", "--role", "writer"], configuration, output, error));
        var key = output.ToString().Trim();
        Assert.Matches("^pggit_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("not shown again", error.ToString());
        var stored = await database.QueryAsync<byte[]>("SELECT key_sha256 FROM pggit_server.api_keys WHERE name = 'ci'");
        Assert.Equal(ApiKeys.Hash(key), Assert.Single(stored));

        Assert.Equal(1, await KeysCommand.RunAsync(["add", "--name", "ci", "--role", "reader"], configuration, TextWriter.Null, error));
        Assert.Contains("already exists", error.ToString());
        Assert.Equal(2, await KeysCommand.RunAsync(["add", "--name", "x", "--role", "owner"], configuration, TextWriter.Null, TextWriter.Null));
        Assert.Equal(2, await KeysCommand.RunAsync(["add", "--name", "bad name", "--role", "reader"], configuration, TextWriter.Null, TextWriter.Null));
        Assert.Equal(2, await KeysCommand.RunAsync(["frobnicate"], configuration, TextWriter.Null, TextWriter.Null));

        var list = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(["list"], configuration, list, TextWriter.Null));
        var line = Assert.Single(list.ToString().Split('\n'), l => l.StartsWith("ci ", StringComparison.Ordinal));
        Assert.Contains("writer", line);
        Assert.Contains("active", line);
        Assert.Contains(key[..12], line);
        Assert.Contains(DateTime.UtcNow.ToString("yyyy-MM-dd"), line);
        Assert.DoesNotContain(key, list.ToString());

        Assert.Equal(0, await KeysCommand.RunAsync(["revoke", "--name", "ci"], configuration, TextWriter.Null, TextWriter.Null));
        Assert.Equal(1, await KeysCommand.RunAsync(["revoke", "--name", "ci"], configuration, TextWriter.Null, TextWriter.Null));
        list = new StringWriter();
        await KeysCommand.RunAsync(["list"], configuration, list, TextWriter.Null);
        Assert.Contains("revoked", list.ToString());

        // The name is free again once its key is revoked.
        Assert.Equal(0, await KeysCommand.RunAsync(["add", "--name", "ci", "--role", "reader"], configuration, TextWriter.Null, TextWriter.Null));
    }
}
