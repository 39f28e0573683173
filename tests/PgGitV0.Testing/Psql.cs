using System.Diagnostics;
using Npgsql;

namespace PgGitV0.Testing;

/// <summary>Runs SQL through the psql client, exactly as a user would.</summary>
public static class Psql
{
    public static async Task<string> RunAsync(string connectionString, string? file = null, string? command = null, string workingDirectory = "/")
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo("psql")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var a in new[] { "-X", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(), "-U", builder.Username!, "-d", builder.Database! })
            info.ArgumentList.Add(a);
        if (file is not null) { info.ArgumentList.Add("-f"); info.ArgumentList.Add(file); }
        if (builder.Password is not null) info.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("psql did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (command is not null) await process.StandardInput.WriteAsync(command);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"psql failed ({process.ExitCode}): {await stderr}");
        return await stdout + await stderr;
    }
}
