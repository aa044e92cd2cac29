using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// `--quick` swaps in BenchmarkDotNet's ShortRun job so the whole suite fits a short iteration loop.
var quick = args.Contains("--quick");
var config = DefaultConfig.Instance;
if (quick)
{
    config = config.AddJob(Job.ShortRun);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(argument => argument != "--quick")], config);
