namespace Metrics;

/// <summary>How a push treats the metrics the Pushgateway already holds for the group.</summary>
public enum PushMethod
{
    /// <summary><c>PUT</c>: the push replaces every metric of the group, so metrics no longer pushed disappear.</summary>
    Replace,

    /// <summary><c>POST</c>: the push replaces only the metrics of the names it carries and keeps the others.</summary>
    Add,
}
