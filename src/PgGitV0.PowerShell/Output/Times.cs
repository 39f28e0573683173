using Google.Protobuf.WellKnownTypes;

namespace PgGitV0.PowerShell;

internal static class Times
{
    public static DateTime? Utc(Timestamp? timestamp) => timestamp?.ToDateTime();

    /// <summary>A DateTime of unspecified kind is taken as local time, as PowerShell's [datetime] casts make it.</summary>
    public static Timestamp ToProto(DateTime time) => Timestamp.FromDateTime(time.ToUniversalTime());
}
