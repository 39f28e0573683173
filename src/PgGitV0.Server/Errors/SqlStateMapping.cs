using System.Text.RegularExpressions;
using Grpc.Core;
using Npgsql;

namespace PgGitV0.Server.Errors;

/// <summary>DESIGN.md section 4: the SQLSTATEs the SQL layer raises and the gRPC codes they become.</summary>
public static partial class SqlStateMapping
{
    /// <summary>The gRPC code and ErrorInfo reason for a SQLSTATE the SQL layer raises on purpose; false for anything else.</summary>
    public static bool TryMap(string sqlState, out StatusCode code, out string reason)
    {
        (code, reason) = sqlState switch
        {
            "P0002" => (StatusCode.NotFound, "NOT_FOUND"),
            PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation => (StatusCode.AlreadyExists, "ALREADY_EXISTS"),
            PostgresErrorCodes.InvalidParameterValue => (StatusCode.InvalidArgument, "INVALID_ARGUMENT"),
            _ when sqlState.StartsWith("22", StringComparison.Ordinal) => (StatusCode.InvalidArgument, "INVALID_VALUE"),
            PostgresErrorCodes.SerializationFailure => (StatusCode.Aborted, "CONCURRENT_UPDATE"),
            PostgresErrorCodes.DeadlockDetected => (StatusCode.Aborted, "DEADLOCK"),
            "PGC01" => (StatusCode.FailedPrecondition, "FAILED_PRECONDITION"),
            PostgresErrorCodes.InsufficientPrivilege => (StatusCode.PermissionDenied, "PERMISSION_DENIED"),
            _ when sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState.StartsWith("53", StringComparison.Ordinal)
                   || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                => (StatusCode.Unavailable, "DATABASE_UNAVAILABLE"),
            _ => (StatusCode.Unknown, ""),
        };
        return code != StatusCode.Unknown;
    }

    /// <summary>
    /// The offending value a SQL layer message names: messages quote it first, as format('%L')
    /// writes it ("branch 'feature/x' not found"). Null when the message quotes nothing.
    /// </summary>
    public static string? OffendingValue(string message)
    {
        var match = QuotedLiteral().Match(message);
        return match.Success ? match.Groups[1].Value.Replace("''", "'") : null;
    }

    [GeneratedRegex("(?<![A-Za-z])E?'((?:[^']|'')*)'")]
    private static partial Regex QuotedLiteral();
}
