using Npgsql;
using PgGitV0.Database;
using PgGitV0.Server.Data;
using PgGitV0.Server.Hosting;
using PgGitV0.Server.Security;

namespace PgGitV0.Server.Cli;

/// <summary>
/// <c>keys add --name NAME --role reader|writer|admin</c> prints a new key once;
/// <c>keys list</c> shows every key (never the key itself); <c>keys revoke --name NAME</c> revokes
/// the active key of that name. Uses the server's database (PGGIT_CONNECTION or the local cluster)
/// and installs the SQL layer first, so it works before the server ever ran.
/// </summary>
public static class KeysCommand
{
    private const string Usage = """
        usage: keys add --name NAME --role reader|writer|admin
               keys list
               keys revoke --name NAME
        The database is PGGIT_CONNECTION, or the local cluster the server uses when it is not set.
        """;

    public static IConfiguration DefaultConfiguration() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is not ("add" or "list" or "revoke"))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        Dictionary<string, string> options;
        try
        {
            options = ParseOptions(args[1..]);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"{e.Message}\n{Usage}");
            return 2;
        }

        var (connectionString, _) = await DatabaseConnection.ResolveAsync(configuration, cancellationToken);
        await SqlInstaller.InstallAsync(connectionString, configuration["PGGIT_SQL_DIRECTORY"], cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new ApiKeyStore(dataSource);
        try
        {
            switch (args[0])
            {
                case "add":
                {
                    var name = Required(options, "name");
                    var role = ApiRoles.Parse(Required(options, "role"));
                    var key = await store.AddAsync(name, role, cancellationToken);
                    await output.WriteLineAsync(key);
                    await error.WriteLineAsync($"API key '{name}' ({ApiRoles.Name(role)}) created. Store it now: it is not shown again. Use it as 'authorization: Bearer <key>'.");
                    return 0;
                }
                case "list":
                {
                    var keys = await store.ListAsync(cancellationToken);
                    await output.WriteLineAsync($"{"NAME",-24} {"ROLE",-7} {"KEY",-14} {"CREATED",-20} {"CREATED BY",-16} STATUS");
                    foreach (var k in keys)
                        await output.WriteLineAsync($"{k.Name,-24} {k.Role,-7} {k.KeyPrefix,-14} {k.CreatedAt:yyyy-MM-dd HH:mm:ss} {k.CreatedBy,-16} {(k.RevokedAt is { } at ? $"revoked {at:yyyy-MM-dd HH:mm:ss}" : "active")}");
                    return 0;
                }
                default:
                {
                    var name = Required(options, "name");
                    if (!await store.RevokeAsync(name, cancellationToken))
                    {
                        await error.WriteLineAsync($"no active API key named '{name}'; see keys list");
                        return 1;
                    }
                    await output.WriteLineAsync($"API key '{name}' revoked");
                    return 0;
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync(e.Message);
            return e is ArgumentException ? 2 : 1;
        }
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            options[args[i][2..]] = args[++i];
        }
        return options;
    }

    private static string Required(Dictionary<string, string> options, string name)
        => options.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException($"--{name} is required");
}
