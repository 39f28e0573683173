using System.Security.Cryptography;
using System.Text;
using PgGitV0.Server.Errors;

namespace PgGitV0.Server.Services;

/// <summary>
/// page_size and page_token handling for every List RPC (DESIGN.md section 5). A token is an opaque
/// keyset position (never an offset) bound to the list it came from and to the request's filters,
/// so a token reused with other filters is rejected instead of returning a silently wrong page.
/// </summary>
public static class Paging
{
    public const int MaxPageSize = 1000;
    private const string Version = "1";

    /// <summary>The page size to use: the default for 0, at most <see cref="MaxPageSize"/>; negative is INVALID_ARGUMENT.</summary>
    public static int PageSize(int requested, int defaultSize)
    {
        if (requested < 0)
            throw ApiErrors.InvalidArgument("INVALID_PAGE_SIZE", $"page_size {requested} is negative; use 0 for the default ({defaultSize}) or 1 to {MaxPageSize}",
                "page_size", requested.ToString());
        return requested == 0 ? defaultSize : Math.Min(requested, MaxPageSize);
    }

    public static string Encode(string list, string scope, params string[] position)
    {
        var text = string.Join('\n', [Version, list, Fingerprint(scope), .. position]);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The position a token holds (<paramref name="parts"/> strings), or null for an empty token.</summary>
    public static string[]? Decode(string token, string list, string scope, int parts)
    {
        if (string.IsNullOrEmpty(token)) return null;
        string[] fields;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            fields = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n');
        }
        catch (FormatException)
        {
            throw Invalid(token, "it is not a page token this server issued");
        }
        if (fields.Length != 3 + parts || fields[0] != Version || fields[1] != list)
            throw Invalid(token, "it is not a page token this server issued for this list");
        if (fields[2] != Fingerprint(scope))
            throw Invalid(token, "it was issued for a request with other filters; repeat the first request's filters or start again without a token");
        return fields[3..];
    }

    /// <summary>A number a token's position holds (a count, a time in ticks); a token whose number does not parse is INVALID_ARGUMENT.</summary>
    public static long Number(string token, string value)
        => long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Invalid(token, "it is not a page token this server issued for this list");

    /// <summary>A uuid a token's position holds (a row id); a token whose uuid does not parse is INVALID_ARGUMENT.</summary>
    public static Guid Uuid(string token, string value)
        => Guid.TryParseExact(value, "D", out var id) ? id : throw Invalid(token, "it is not a page token this server issued for this list");

    private static Grpc.Core.RpcException Invalid(string token, string why)
        => ApiErrors.InvalidArgument("INVALID_PAGE_TOKEN", $"page_token '{token}' is not valid: {why}", "page_token", token);

    private static string Fingerprint(string scope) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..16];
}
