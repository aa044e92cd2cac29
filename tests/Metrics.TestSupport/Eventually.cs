namespace Metrics.AspNetCore.Tests;

/// <summary>Waits for a value that another thread or process settles, polling with a bounded timeout instead of sleeping blindly.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    public static async Task ShouldBecomeAsync<T>(Func<T> read, T expected)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var comparer = EqualityComparer<T>.Default;
        var value = read();
        while (!Matches(value, expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(Interval);
            value = read();
        }

        value.ShouldBe(expected, $"the value did not settle within {Timeout.TotalSeconds} s");
    }

    private static bool Matches<T>(T value, T expected) =>
        value is System.Collections.IEnumerable items && expected is System.Collections.IEnumerable wanted
            ? items.Cast<object?>().SequenceEqual(wanted.Cast<object?>())
            : EqualityComparer<T>.Default.Equals(value, expected);
}
