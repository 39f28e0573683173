namespace PgGitV0.PowerShell.Tests.Fixtures;

/// <summary>
/// Tests that set or depend on the process-wide PGGIT_ENDPOINT / PGGIT_API_KEY variables run alone,
/// never beside other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "environment variables";
}

/// <summary>Sets environment variables for the length of a test and restores them after.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = new();

    public EnvironmentScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Both PGGIT variables unset.</summary>
    public static EnvironmentScope Clean() => new(("PGGIT_ENDPOINT", null), ("PGGIT_API_KEY", null));

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
    }
}

/// <summary>
/// Base of the tests in <see cref="EnvironmentCollection"/>: each starts with both PGGIT variables unset
/// and an unconnected session that imported the module.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public abstract class CleanEnvironmentTests : IDisposable
{
    private readonly EnvironmentScope _environment = EnvironmentScope.Clean();

    protected Hosting.ModuleSession Session { get; } = Hosting.ModuleSession.Start();

    public void Dispose()
    {
        Session.Dispose();
        _environment.Dispose();
        GC.SuppressFinalize(this);
    }
}
