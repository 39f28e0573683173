using System.Management.Automation;
using Grpc.Core;
using PgGitV0.PowerShell.Tests.Fixtures;
using PgGitV0.PowerShell.Tests.Hosting;

namespace PgGitV0.PowerShell.Tests;

/// <summary>Every gRPC status code becomes an ErrorRecord with the matching category, the server's message and reason.</summary>
public sealed class ErrorMappingTests(FailingServerFixture server) : IClassFixture<FailingServerFixture>, IDisposable
{
    private readonly ModuleSession _session = ModuleSession.Start();

    public void Dispose() => _session.Dispose();

    [Theory]
    [InlineData(StatusCode.NotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(StatusCode.InvalidArgument, ErrorCategory.InvalidArgument)]
    [InlineData(StatusCode.OutOfRange, ErrorCategory.InvalidArgument)]
    [InlineData(StatusCode.AlreadyExists, ErrorCategory.ResourceExists)]
    [InlineData(StatusCode.PermissionDenied, ErrorCategory.PermissionDenied)]
    [InlineData(StatusCode.FailedPrecondition, ErrorCategory.InvalidOperation)]
    [InlineData(StatusCode.Aborted, ErrorCategory.ResourceBusy)]
    [InlineData(StatusCode.DeadlineExceeded, ErrorCategory.OperationTimeout)]
    [InlineData(StatusCode.Unimplemented, ErrorCategory.NotImplemented)]
    [InlineData(StatusCode.ResourceExhausted, ErrorCategory.LimitsExceeded)]
    [InlineData(StatusCode.Internal, ErrorCategory.NotSpecified)]
    public void A_per_input_failure_is_non_terminating_with_its_category_message_and_reason(StatusCode code, ErrorCategory category)
    {
        var result = _session.Run("Get-PgGitCommit -Endpoint $args[0] -Commit $args[1]", server.Endpoint, code.ToString());

        var error = Assert.Single(result.Errors);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal($"REASON_{code.ToString().ToUpperInvariant()},PgGitV0.PowerShell.Cmdlets.GetPgGitCommitCommand", error.FullyQualifiedErrorId);
        Assert.Equal($"{code} for '{code}'; do something about it", error.Exception.Message);
        Assert.Equal(code.ToString(), error.TargetObject);
        Assert.Null(_session.Catch("Get-PgGitCommit -Endpoint $args[0] -Commit $args[1]", server.Endpoint, code.ToString()));
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated, ErrorCategory.AuthenticationError)]
    [InlineData(StatusCode.Unavailable, ErrorCategory.ConnectionError)]
    public void Failures_no_later_call_could_escape_end_the_command(StatusCode code, ErrorCategory category)
    {
        var error = _session.Catch("Get-PgGitCommit -Endpoint $args[0] -Commit $args[1]", server.Endpoint, code.ToString());

        Assert.NotNull(error);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.StartsWith($"REASON_{code.ToString().ToUpperInvariant()},", error.FullyQualifiedErrorId);
        Assert.Equal($"{code} for '{code}'; do something about it", error.Exception.Message);
    }

    [Fact]
    public void Without_ErrorInfo_the_error_id_names_the_status_code_and_the_message_is_the_servers()
    {
        var error = Assert.Single(_session.Run("Get-PgGitCommit -Endpoint $args[0] -Commit 'AlreadyExists/bare'", server.Endpoint).Errors);

        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.StartsWith("PgGitAlreadyExists,", error.FullyQualifiedErrorId);
        Assert.Equal("AlreadyExists for 'AlreadyExists/bare'; do something about it", error.Exception.Message);
        Assert.Equal("AlreadyExists/bare", error.TargetObject);
    }
}
