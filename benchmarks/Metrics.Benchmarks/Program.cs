using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// `--scrape-targets SERVER_PORT KESTREL_PORT` serves one registry through both scrape servers for
// benchmarks/scrape-servers.sh, instead of running benchmarks.
if (args is ["--scrape-targets", var serverPort, var kestrelPort])
{
    return await Metrics.Benchmarks.ScrapeServerTargets.RunAsync(int.Parse(serverPort, System.Globalization.CultureInfo.InvariantCulture), int.Parse(kestrelPort, System.Globalization.CultureInfo.InvariantCulture));
}

// `--quick` swaps in BenchmarkDotNet's ShortRun job so the whole suite fits a short iteration loop.
var quick = args.Contains("--quick");
var config = DefaultConfig.Instance;
if (quick)
{
    config = config.AddJob(Job.ShortRun);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(argument => argument != "--quick")], config);

// A benchmark that failed to build or run must fail the command, so CI's smoke run can catch a broken harness.
var failed = summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success));
return failed ? 1 : 0;
