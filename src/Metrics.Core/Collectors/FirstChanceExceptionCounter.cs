namespace Metrics;

/// <summary>
/// Counts every exception thrown in the process, caught or not, from the moment the first runtime collector is
/// added. .NET keeps no public total of its own, so this listens to <see cref="AppDomain.FirstChanceException"/>,
/// whose handler costs one interlocked increment per throw.
/// </summary>
internal static class FirstChanceExceptionCounter
{
    private static long _count;
    private static int _started;

    /// <summary>Exceptions thrown since <see cref="Start"/> was first called.</summary>
    public static long Count => Volatile.Read(ref _count);

    /// <summary>Subscribes once per process; later calls do nothing.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            AppDomain.CurrentDomain.FirstChanceException += static (_, _) => Interlocked.Increment(ref _count);
        }
    }
}
