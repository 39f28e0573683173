using PgGitV0.Benchmarks;
using PgGitV0.Server.Benchmarks;

// dotnet run -c Release --project tests/PgGitV0.Server.Benchmarks -- [--commits 10000] [--requests 3000] [--seconds 5] [--clients 16] [--events 300]
await new ServerBenchmark().RunAsync(BenchmarkOptions.Parse(args));
