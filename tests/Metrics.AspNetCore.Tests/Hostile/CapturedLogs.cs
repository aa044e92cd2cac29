using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Metrics.AspNetCore.Tests.Hostile;

/// <summary>Every entry an application logs, at every level, with its exception, so a test can say what reached the log and how loudly.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    /// <summary>Entries above Debug that carry an exception, and so a stack trace, as lines for an assertion message.</summary>
    public string[] StackTracesAboveDebug =>
        [.. _entries.Where(static entry => entry.Level > LogLevel.Debug && entry.Exception is not null).Select(static entry => $"{entry.Level} {entry.Category}: {entry.Message} {entry.Exception}")];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    internal sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
    }
}
