using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Grpc.Core;
using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>
/// Tab completion of branch names: lists the branches through the command's -Endpoint, or else the
/// session's connection. Offers nothing (rather than an error) when there is no server to ask.
/// </summary>
public sealed class BranchNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private const int MaxBranches = 1000;

    /// <summary>Returns the branches whose names start with what was typed.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = wordToComplete.Trim('\'', '"');
        PgGitConnection? own = null;
        try
        {
            var connection = fakeBoundParameters["Endpoint"] is string endpoint
                ? own = PgGitConnection.Open(endpoint, PgGitConnection.EnvironmentApiKey)
                : PgGitConnection.Current;
            if (connection is null) return [];
            return ListBranchNames(connection)
                .Where(name => name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name))
                .ToList();
        }
        catch (Exception e) when (e is RpcException or ArgumentException or OperationCanceledException)
        {
            return [];
        }
        finally
        {
            own?.Dispose();
        }
    }

    private static IEnumerable<string> ListBranchNames(PgGitConnection connection)
    {
        using var budget = new CancellationTokenSource(Budget);
        var response = connection.Branches.ListBranches(new ListBranchesRequest { PageSize = MaxBranches }, connection.Options(budget.Token));
        return response.Branches.Select(branch => branch.Name).ToList();
    }

    /// <summary>Branch names are barewords unless they hold characters PowerShell's parser treats specially.</summary>
    internal static string Quote(string name) =>
        name.IndexOfAny([' ', '\'', '"', '$', ';', ',', '(', ')', '{', '}', '@', '#', '`', '|', '&', '<', '>']) >= 0
            ? "'" + name.Replace("'", "''") + "'"
            : name;
}
