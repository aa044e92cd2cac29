using System.Collections.ObjectModel;

namespace Metrics.Bridge;

/// <summary>
/// The tag keys that the default meters' instruments carry only on some measurements, from the ASP.NET Core and .NET
/// metrics references. A bridged family's labels are fixed when it is registered; without this table an app whose
/// first request failed routing would never get an <c>http_route</c> label, and one whose first request succeeded
/// would drop <c>error_type</c> from every failure after it.
/// </summary>
internal static class KnownInstrumentTags
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Table { get; } = new ReadOnlyDictionary<string, IReadOnlyList<string>>(
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["http.server.request.duration"] = ["http.route", "error.type", "http.response.status_code", "aspnetcore.request.is_unhandled"],
            ["aspnetcore.routing.match_attempts"] = ["http.route", "aspnetcore.routing.is_fallback"],
            ["aspnetcore.diagnostics.exceptions"] = ["aspnetcore.diagnostics.handler.type"],
            ["aspnetcore.rate_limiting.requests"] = ["aspnetcore.rate_limiting.policy"],
            ["aspnetcore.rate_limiting.active_request_leases"] = ["aspnetcore.rate_limiting.policy"],
            ["aspnetcore.rate_limiting.request_lease.duration"] = ["aspnetcore.rate_limiting.policy"],
            ["aspnetcore.rate_limiting.queued_requests"] = ["aspnetcore.rate_limiting.policy"],
            ["aspnetcore.rate_limiting.request.time_in_queue"] = ["aspnetcore.rate_limiting.policy"],
            ["kestrel.connection.duration"] = ["error.type", "network.protocol.name", "network.protocol.version", "tls.protocol.version"],
            ["kestrel.tls_handshake.duration"] = ["error.type", "tls.protocol.version"],
            ["http.client.request.duration"] = ["error.type", "http.response.status_code", "network.protocol.version"],
            ["http.client.request.time_in_queue"] = ["network.protocol.version"],
        });
}
