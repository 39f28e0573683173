using System.Security.Cryptography;
using System.Text;

namespace PgGitV0.Server.Security;

/// <summary>The API key format: "pggit_" + 32 random bytes in base64url. Only its SHA-256 is stored.</summary>
public static class ApiKeys
{
    private const string Prefix = "pggit_";

    public static string Generate()
        => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The first characters of a key, shown by `keys list` so a person can tell keys apart.</summary>
    public static string Recognizable(string key) => key[..Math.Min(key.Length, Prefix.Length + 6)] + "…";
}
