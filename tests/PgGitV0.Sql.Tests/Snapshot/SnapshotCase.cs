using Xunit.Abstractions;

namespace PgGitV0.Sql.Tests.Snapshot;

/// <summary>
/// One table-driven case for pggit_v0.snapshot_schema(): DDL run in an empty database and what
/// its snapshot must hold. Every case also goes through <see cref="SnapshotRoundTrip"/>: the
/// snapshot replayed into another empty database must snapshot to the same files.
/// Serializable so that xunit lists every case as a test row of its own.
/// </summary>
public sealed class SnapshotCase : IXunitSerializable
{
    private const char Separator = '\u001f';

    [Obsolete("for xunit's deserializer only")]
    public SnapshotCase() : this("", "") { }

    public SnapshotCase(string name, string setup)
    {
        Name = name;
        Setup = setup;
    }

    public string Name { get; private set; }

    /// <summary>DDL run in the source database (one batch; schemas, roles and extensions included).</summary>
    public string Setup { get; private set; }

    /// <summary>Paths the snapshot must contain.</summary>
    public List<string> Paths { get; } = [];

    /// <summary>Paths the snapshot must not contain (objects that are part of another file, or not tracked).</summary>
    public List<string> AbsentPaths { get; } = [];

    /// <summary>Path prefix → the only paths under it (so that no other object of that kind became a file).</summary>
    public Dictionary<string, string[]> OnlyPathsUnder { get; } = [];

    /// <summary>Path → text its DDL must contain.</summary>
    public Dictionary<string, string[]> Contains { get; } = [];

    /// <summary>Path → text its DDL must not contain.</summary>
    public Dictionary<string, string[]> DoesNotContain { get; } = [];

    /// <summary>Path → its whole DDL, pinning the layout docs/ddl-layout.md describes.</summary>
    public Dictionary<string, string> Exact { get; } = [];

    /// <summary>pggit_v0.settings (key → jsonb text) set in both databases before anything else.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>
    /// When set, the source database's default collation is this ICU locale, and the same setup
    /// in a database with the C collation must give exactly the same snapshot.
    /// </summary>
    public string? IcuLocale { get => _icuLocale; init => _icuLocale = value; }

    private string? _icuLocale;

    public override string ToString() => Name;

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(Name), Name);
        info.AddValue(nameof(Setup), Setup);
        info.AddValue(nameof(Paths), Paths.ToArray());
        info.AddValue(nameof(AbsentPaths), AbsentPaths.ToArray());
        info.AddValue(nameof(OnlyPathsUnder), Flatten(OnlyPathsUnder));
        info.AddValue(nameof(Contains), Flatten(Contains));
        info.AddValue(nameof(DoesNotContain), Flatten(DoesNotContain));
        info.AddValue(nameof(Exact), Exact.Select(e => e.Key + Separator + e.Value).ToArray());
        info.AddValue(nameof(Settings), Settings.Select(e => e.Key + Separator + e.Value).ToArray());
        info.AddValue(nameof(IcuLocale), IcuLocale);
    }

    public void Deserialize(IXunitSerializationInfo info)
    {
        Name = info.GetValue<string>(nameof(Name));
        Setup = info.GetValue<string>(nameof(Setup));
        Paths.AddRange(info.GetValue<string[]>(nameof(Paths)));
        AbsentPaths.AddRange(info.GetValue<string[]>(nameof(AbsentPaths)));
        Unflatten(info.GetValue<string[]>(nameof(OnlyPathsUnder)), OnlyPathsUnder);
        Unflatten(info.GetValue<string[]>(nameof(Contains)), Contains);
        Unflatten(info.GetValue<string[]>(nameof(DoesNotContain)), DoesNotContain);
        foreach (var (key, value) in info.GetValue<string[]>(nameof(Exact)).Select(Split)) Exact[key] = value;
        foreach (var (key, value) in info.GetValue<string[]>(nameof(Settings)).Select(Split)) Settings[key] = value;
        _icuLocale = info.GetValue<string?>(nameof(IcuLocale));
    }

    // One string per entry: the key, then each value, separated by Separator (an empty list stays a key).
    private static string[] Flatten(Dictionary<string, string[]> map) =>
        map.Select(e => string.Join(Separator, e.Value.Prepend(e.Key))).ToArray();

    private static void Unflatten(string[] entries, Dictionary<string, string[]> map)
    {
        foreach (var parts in entries.Select(e => e.Split(Separator)))
            map[parts[0]] = parts[1..];
    }

    private static (string Key, string Value) Split(string pair)
    {
        var at = pair.IndexOf(Separator);
        return (pair[..at], pair[(at + 1)..]);
    }
}
