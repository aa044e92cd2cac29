using System.Diagnostics;

namespace Gateway.Tests.Support;

/// <summary>Bounded polling: waits for a condition that becomes true through the system's own timers, never a blind sleep.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting until {description}.");
            }

            await Task.Delay(20);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string description, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), description, timeout);
}
