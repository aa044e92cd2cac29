namespace Metrics.Benchmarks;

/// <summary>
/// A second thread kept alive across invocations, so a two-thread benchmark measures the work and not thread
/// creation: <see cref="RunTogether"/> runs the same work on the calling thread and on the peer, and returns when
/// both are done. The barrier hand-offs allocate nothing.
/// </summary>
internal sealed class PeerThread : IDisposable
{
    private readonly Barrier _start = new(2);
    private readonly Barrier _finish = new(2);
    private readonly Thread _thread;
    private Action? _work;
    private volatile bool _stopping;

    public PeerThread()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "benchmark peer" };
        _thread.Start();
    }

    public void RunTogether(Action work)
    {
        _work = work;
        _start.SignalAndWait();
        work();
        _finish.SignalAndWait();
    }

    public void Dispose()
    {
        _stopping = true;
        _start.SignalAndWait();
        _thread.Join();
        _start.Dispose();
        _finish.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _work!();
            _finish.SignalAndWait();
        }
    }
}
