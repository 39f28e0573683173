using PgGitV0.Api;

namespace PgGitV0.PowerShell;

/// <summary>
/// One changed object between two commits: CREATE, ALTER or DROP, both definitions, and a unified
/// diff of them for reading. A rename is a DROP of the old path and a CREATE of the new one.
/// </summary>
public sealed class PgGitObjectChange
{
    /// <summary>The object's path in the trees, e.g. public/tables/orders.sql.</summary>
    public required string Path { get; init; }

    /// <summary>CREATE (only in the difference side), DROP (only in the reference side) or ALTER.</summary>
    public required string Change { get; init; }

    /// <summary>The object's DDL on the reference side (the old commit, or the merge base); null for CREATE.</summary>
    public required string? ReferenceDefinition { get; init; }

    /// <summary>The object's DDL on the difference side (the new commit, or the other branch); null for DROP.</summary>
    public required string? DifferenceDefinition { get; init; }

    /// <summary>The reference side as it was named: a commit, branch or tag.</summary>
    public required string Reference { get; init; }

    /// <summary>The difference side as it was named: a commit, branch or tag.</summary>
    public required string Difference { get; init; }

    /// <summary>A unified diff (diff -u) of the two definitions, computed for display.</summary>
    public required string Diff { get; init; }

    /// <summary>The number of lines the diff adds.</summary>
    public int LinesAdded => UnifiedDiff.Count(Diff, '+');

    /// <summary>The number of lines the diff removes.</summary>
    public int LinesRemoved => UnifiedDiff.Count(Diff, '-');

    /// <summary>The change and the path.</summary>
    public override string ToString() => $"{Change} {Path}";

    internal static PgGitObjectChange FromProto(ObjectDiff diff, string referenceName, string differenceName)
    {
        var referenceDefinition = diff.ChangeType == ChangeType.Create ? null : diff.OldDefinition;
        var differenceDefinition = diff.ChangeType == ChangeType.Drop ? null : diff.NewDefinition;
        return new()
        {
            Path = diff.ObjectPath,
            Change = ChangeTypes.Name(diff.ChangeType),
            ReferenceDefinition = referenceDefinition,
            DifferenceDefinition = differenceDefinition,
            Reference = referenceName,
            Difference = differenceName,
            Diff = UnifiedDiff.Format(diff.ObjectPath, referenceDefinition, differenceDefinition),
        };
    }
}
