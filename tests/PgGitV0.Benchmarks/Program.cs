using System.Reflection;
using PgGitV0.Benchmarks;

// Every IBenchmarkSuite in this assembly is a suite; adding one is adding a file under Suites/.
var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || suites.All(s => s.Name != args[0]))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/PgGitV0.Benchmarks -- <suite> [--option value ...]");
    foreach (var s in suites) Console.Error.WriteLine($"  {s.Name,-12} {s.Description}");
    return 2;
}

var options = BenchmarkOptions.Parse(args.Skip(1).ToArray());
await suites.Single(s => s.Name == args[0]).RunAsync(options);
return 0;
