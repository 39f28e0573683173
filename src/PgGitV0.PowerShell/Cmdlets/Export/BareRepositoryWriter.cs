using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace PgGitV0.PowerShell.Cmdlets;

/// <summary>
/// Writes a bare sha256 git repository without git: HEAD, config, loose objects (zlib-deflated
/// "&lt;type&gt; &lt;size&gt;\0payload" under objects/xx/) and refs under refs/heads/ and refs/tags/.
/// </summary>
internal sealed class BareRepositoryWriter
{
    private const string Config = "[core]\n\trepositoryformatversion = 1\n\tfilemode = true\n\tbare = true\n[extensions]\n\tobjectformat = sha256\n";

    private readonly string _root;

    private BareRepositoryWriter(string root) => _root = root;

    /// <summary>True when <paramref name="path"/> does not exist or is an empty folder.</summary>
    public static bool IsMissingOrEmpty(string path) => !Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any();

    /// <summary>
    /// Lays out the repository at <paramref name="path"/>. With <paramref name="replaceRefs"/> the refs a
    /// previous export left there are removed first, so that the refs are exactly the ones written next.
    /// </summary>
    public static BareRepositoryWriter Create(string path, bool replaceRefs)
    {
        var writer = new BareRepositoryWriter(path);
        if (replaceRefs)
        {
            foreach (var folder in new[] { "refs/heads", "refs/tags" })
                if (Directory.Exists(writer.Combine(folder))) Directory.Delete(writer.Combine(folder), recursive: true);
            File.Delete(writer.Combine("packed-refs"));
        }
        foreach (var folder in new[] { "objects/info", "objects/pack", "refs/heads", "refs/tags" })
            Directory.CreateDirectory(writer.Combine(folder));
        File.WriteAllText(writer.Combine("config"), Config);
        return writer;
    }

    /// <summary>Writes one object after checking that its payload hashes to its id.</summary>
    /// <exception cref="InvalidDataException">the id is malformed or is not the payload's sha256</exception>
    public void WriteObject(string sha, string type, ReadOnlySpan<byte> payload)
    {
        var header = Encoding.ASCII.GetBytes($"{type} {payload.Length}\0");
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            hash.AppendData(header);
            hash.AppendData(payload);
            var actual = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if (actual != sha)
                throw new InvalidDataException($"object {sha} ({type}, {payload.Length} bytes) hashes to {actual}: the server sent a corrupt object; the export is incomplete.");
        }

        var path = Combine("objects", sha[..2], sha[2..]);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // Written beside its final name and moved, so an interrupted export never leaves a truncated object.
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        using (var zlib = new ZLibStream(file, CompressionLevel.Optimal))
        {
            zlib.Write(header);
            zlib.Write(payload);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Points refs/heads/<paramref name="name"/> (a branch) or refs/tags/<paramref name="name"/> (a tag) at a commit.</summary>
    public void WriteRef(bool isTag, string name, string sha)
    {
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
            throw new InvalidDataException($"ref '{name}' points at '{sha}', which is not a sha256 object id");
        var path = Combine("refs", isTag ? "tags" : "heads", name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sha + "\n");
    }

    /// <summary>Makes HEAD name a branch.</summary>
    public void WriteHead(string branch) => File.WriteAllText(Combine("HEAD"), $"ref: refs/heads/{branch}\n");

    private string Combine(params string[] parts)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine([_root, .. parts.SelectMany(p => p.Split('/'))]));
        if (!path.StartsWith(System.IO.Path.GetFullPath(_root) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"'{string.Join('/', parts)}' would be written outside {_root}");
        return path;
    }
}
