using Grpc.Core;
using PgGitV0.Api;
using PgGitV0.Server.Data;
using PgGitV0.Server.Security;
using PgGitV0.Server.Tests.Infrastructure;

namespace PgGitV0.Server.Tests;

/// <summary>
/// The error interceptor, per SQLSTATE class. A probe trigger on operation_metrics (written by every
/// tracked pggit_v0 function) raises a chosen SQLSTATE for calls made with the 'error-probe' key,
/// so each class travels the real path: SQL function, Npgsql, interceptor, client.
/// </summary>
public sealed class ErrorMappingTests : IAsyncLifetime
{
    private const string ProbeName = "error-probe";
    private ServerHost _host = null!;
    private string _probeKey = "";

    public async Task InitializeAsync()
    {
        _host = await ServerHost.StartAsync();
        await History.StartAsync(_host.Database);
        await _host.Database.ExecuteAsync("""
            CREATE SCHEMA probe;
            CREATE TABLE probe.next_error (sqlstate text NOT NULL, message text NOT NULL);
            CREATE FUNCTION probe.raise_error() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                v probe.next_error;
            BEGIN
                IF current_setting('pggit.actor', true) = 'error-probe' THEN
                    SELECT * INTO v FROM probe.next_error;
                    IF v.sqlstate = 'sleep' THEN
                        PERFORM pg_sleep(30);
                    END IF;
                    RAISE EXCEPTION USING ERRCODE = v.sqlstate, MESSAGE = v.message, HINT = 'probe hint';
                END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER probe BEFORE INSERT ON pggit_v0.operation_metrics FOR EACH ROW EXECUTE FUNCTION probe.raise_error();
            """);
        _probeKey = await _host.Service<ApiKeyStore>().AddAsync(ProbeName, ApiRole.Reader, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task ArmAsync(string sqlState, string message)
        => await _host.Database.ExecuteAsync("DELETE FROM probe.next_error; INSERT INTO probe.next_error VALUES (@sqlState, @message)",
            new { sqlState, message });

    [Theory]
    [InlineData("P0002", StatusCode.NotFound, "NOT_FOUND")]
    [InlineData("42710", StatusCode.AlreadyExists, "ALREADY_EXISTS")]
    [InlineData("23505", StatusCode.AlreadyExists, "ALREADY_EXISTS")]
    [InlineData("22023", StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData("22P02", StatusCode.InvalidArgument, "INVALID_VALUE")]
    [InlineData("40001", StatusCode.Aborted, "CONCURRENT_UPDATE")]
    [InlineData("40P01", StatusCode.Aborted, "DEADLOCK")]
    [InlineData("PGC01", StatusCode.FailedPrecondition, "FAILED_PRECONDITION")]
    [InlineData("42501", StatusCode.PermissionDenied, "PERMISSION_DENIED")]
    [InlineData("53300", StatusCode.Unavailable, "DATABASE_UNAVAILABLE")]
    public async Task Each_sqlstate_class_maps_to_its_code_with_the_sql_message_and_error_info(string sqlState, StatusCode code, string reason)
    {
        await ArmAsync(sqlState, "branch 'feature/x''s' not found");
        var (exception, info) = await RpcAssert.FailsAsync(code,
            () => _host.History(_probeKey).GetCommitAsync(new GetCommitRequest { Ref = "main" }).ResponseAsync);

        Assert.Equal("branch 'feature/x''s' not found", exception.Status.Detail);
        Assert.Equal(reason, info.Reason);
        Assert.Equal(sqlState, info.Metadata["sqlstate"]);
        Assert.Equal("feature/x's", info.Metadata["value"]);
        Assert.Equal("probe hint", info.Metadata["hint"]);
    }

    [Theory]
    [InlineData("XX000")]
    [InlineData("42883")]
    public async Task Unexpected_errors_are_internal_with_a_correlation_id_and_no_sql(string sqlState)
    {
        await ArmAsync(sqlState, "secret internals: relation pggit_v0.whatever");
        var (exception, info) = await RpcAssert.FailsAsync(StatusCode.Internal,
            () => _host.History(_probeKey).GetCommitAsync(new GetCommitRequest { Ref = "main" }).ResponseAsync);

        Assert.DoesNotContain("secret", exception.Status.Detail);
        Assert.DoesNotContain("pggit_v0", exception.Status.Detail);
        Assert.Equal("INTERNAL", info.Reason);
        Assert.Matches("^[0-9a-f]{12}$", info.Metadata["correlation_id"]);
        Assert.Contains(info.Metadata["correlation_id"], exception.Status.Detail);
        Assert.False(info.Metadata.ContainsKey("sqlstate"));
    }

    [Fact]
    public async Task A_deadline_cancels_the_database_call()
    {
        await ArmAsync("sleep", "unused");
        var exception = await Assert.ThrowsAsync<RpcException>(
            () => _host.History(_probeKey).GetCommitAsync(new GetCommitRequest { Ref = "main" }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, exception.StatusCode);

        // The statement was cancelled in PostgreSQL, not left running for its 30 seconds.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        long sleeping;
        do
        {
            sleeping = await _host.Database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%get_commit%' AND pid <> pg_backend_pid()");
            if (sleeping == 0) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal(0, sleeping);
    }

    [Fact]
    public async Task Real_sql_layer_errors_name_the_offending_value()
    {
        var history = _host.History(_host.ReaderKey);
        var (missing, missingInfo) = await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => history.GetCommitAsync(new GetCommitRequest { Ref = "no-such-branch" }).ResponseAsync);
        Assert.Equal("'no-such-branch' is not a branch, tag or commit", missing.Status.Detail);
        Assert.Equal(("NOT_FOUND", "P0002", "no-such-branch"), (missingInfo.Reason, missingInfo.Metadata["sqlstate"], missingInfo.Metadata["value"]));
        Assert.Contains("list_branches", missingInfo.Metadata["hint"]);

        var (_, malformed) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => history.ListCommitsAsync(new ListCommitsRequest { Branch = "main~x" }).ResponseAsync);
        Assert.Equal("main~x", malformed.Metadata["value"]);

        await _host.Database.ExecuteAsync("CREATE FUNCTION public.calc(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b'; SELECT pggit_v0.commit('overload')");
        var (ambiguous, _) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => history.GetObjectAsync(new GetObjectRequest { SchemaName = "public", ObjectName = "calc" }).ResponseAsync);
        Assert.Contains("public/functions/calc(integer).sql, public/functions/calc(integer, integer).sql", ambiguous.Status.Detail);

        var (_, objectMissing) = await RpcAssert.FailsAsync(StatusCode.NotFound,
            () => history.GetObjectAsync(new GetObjectRequest { SchemaName = "public", ObjectName = "nope" }).ResponseAsync);
        Assert.Equal("nope", objectMissing.Metadata["value"]);

        var (_, emptyMessage) = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _host.History(_host.WriterKey).CreateCommitAsync(new CreateCommitRequest { Message = " " }).ResponseAsync);
        Assert.Equal("INVALID_ARGUMENT", emptyMessage.Reason);
    }
}
