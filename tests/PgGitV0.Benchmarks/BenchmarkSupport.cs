using System.Diagnostics;

namespace PgGitV0.Benchmarks;

public interface IBenchmarkSuite
{
    string Name { get; }
    string Description { get; }
    Task RunAsync(BenchmarkOptions options);
}

public sealed class BenchmarkOptions
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkOptions(Dictionary<string, string> values) => _values = values;

    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{args[i]}'; options look like --name value");
            values[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }
        return new BenchmarkOptions(values);
    }

    public int Int(string name, int fallback)
        => _values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;

    /// <summary>A comma-separated list of integers, e.g. --commits 1000,10000.</summary>
    public int[] Ints(string name, int[] fallback)
        => _values.TryGetValue(name, out var v) ? v.Split(',', StringSplitOptions.TrimEntries).Select(int.Parse).ToArray() : fallback;
}

/// <summary>Timing samples and their summary statistics.</summary>
public sealed class Samples
{
    private readonly List<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(double milliseconds) => _milliseconds.Add(milliseconds);

    public async Task<T> TimeAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        Add(watch.Elapsed.TotalMilliseconds);
        return result;
    }

    public double Percentile(double p)
    {
        if (_milliseconds.Count == 0) return double.NaN;
        var sorted = _milliseconds.Order().ToList();
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    public double Median => Percentile(50);

    public override string ToString()
        => $"n={Count} median={Median:F1} ms p90={Percentile(90):F1} ms p99={Percentile(99):F1} ms max={Percentile(100):F1} ms";
}

public static class Report
{
    public static void Line(string text) => Console.WriteLine(text);

    public static void Row(string metric, string value, string? target = null)
        => Console.WriteLine($"| {metric} | {value} |{(target is null ? "" : $" {target} |")}");
}
