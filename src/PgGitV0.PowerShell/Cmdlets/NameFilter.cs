using System.Management.Automation;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>
/// The -Name filter of the Get- commands that list refs: wildcards match case-insensitively, no names
/// means every item, and an exact name that matched nothing is an ObjectNotFound error.
/// </summary>
internal sealed class NameFilter(string[]? names)
{
    private readonly List<WildcardPattern> _patterns =
        (names ?? ["*"]).Select(name => new WildcardPattern(name, WildcardOptions.IgnoreCase)).ToList();

    private readonly HashSet<string> _unmatched =
        (names ?? []).Where(name => !WildcardPattern.ContainsWildcardCharacters(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public bool IsMatch(string name)
    {
        if (!_patterns.Any(pattern => pattern.IsMatch(name))) return false;
        _unmatched.Remove(name);
        return true;
    }

    /// <summary>One error per exact name nothing matched, e.g. "Branch 'x' not found; list branches with Get-PgGitBranch."</summary>
    public IEnumerable<ErrorRecord> Unmatched(string kind, string plural, string listCommand) =>
        _unmatched.Select(name => new ErrorRecord(
            new ItemNotFoundException($"{kind} '{name}' not found; list {plural} with {listCommand}."),
            "NOT_FOUND", ErrorCategory.ObjectNotFound, name));
}
