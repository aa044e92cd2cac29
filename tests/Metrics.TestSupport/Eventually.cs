using System.Diagnostics;
using NUnit.Framework;

namespace Metrics.Testing;

/// <summary>
/// Bounded polling: waits for a condition or value that another thread, timer or process settles, never a blind
/// sleep, and fails with what it waited for when the time is up.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static async Task TrueAsync(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds} s waiting until {description}.");
            }

            await Task.Delay(Interval);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string description, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), description, timeout);

    /// <summary>Waits until <paramref name="read"/> gives <paramref name="expected"/> (sequences compared item by item), and fails with the last value otherwise.</summary>
    public static async Task ShouldBecomeAsync<T>(Func<T> read, T expected, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        var value = read();
        while (!Matches(value, expected) && watch.Elapsed < limit)
        {
            await Task.Delay(Interval);
            value = read();
        }

        Assert.That(Matches(value, expected), $"the value did not settle within {limit.TotalSeconds} s: expected {Describe(expected)} but was {Describe(value)}");
    }

    private static bool Matches<T>(T value, T expected) =>
        value is System.Collections.IEnumerable items and not string && expected is System.Collections.IEnumerable wanted
            ? items.Cast<object?>().SequenceEqual(wanted.Cast<object?>())
            : EqualityComparer<T>.Default.Equals(value, expected);

    private static string Describe<T>(T value) =>
        value is System.Collections.IEnumerable items and not string ? $"[{string.Join(", ", items.Cast<object?>())}]" : $"{value}";
}
