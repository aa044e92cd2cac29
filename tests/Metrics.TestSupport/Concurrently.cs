namespace Metrics.Testing;

/// <summary>Starts writers together on dedicated threads, so they really contend, and waits for all of them.</summary>
public static class Concurrently
{
    public static void Run(int threads, Action<int> body)
    {
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        Exception? failure = null;
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    body(index);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ex, null);
                }
            });
            workers[t].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        if (failure is not null)
        {
            throw new AggregateException(failure);
        }
    }
}
