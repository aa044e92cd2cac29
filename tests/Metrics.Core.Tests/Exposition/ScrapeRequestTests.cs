namespace Metrics.Tests.Exposition;

public sealed class ScrapeRequestTests
{
    [TestCase("GET", true, false)]
    [TestCase("HEAD", true, true)]
    [TestCase("head", true, true)]
    [TestCase("POST", false, false)]
    [TestCase("DELETE", false, false)]
    [TestCase("OPTIONS", false, false)]
    public void Only_GET_and_HEAD_are_answered_and_HEAD_is_headers_only(string method, bool allowed, bool head)
    {
        var scrape = ScrapeRequest.Read(method, null, null);

        scrape.IsAllowed.ShouldBe(allowed);
        scrape.IsHead.ShouldBe(head);
    }

    [TestCase(null, ScrapeEncoding.Identity)]
    [TestCase("", ScrapeEncoding.Identity)]
    [TestCase("gzip", ScrapeEncoding.Gzip)]
    [TestCase("GZip", ScrapeEncoding.Gzip)]
    [TestCase("br, gzip;q=0.5", ScrapeEncoding.Gzip)]
    [TestCase("gzip;q=0", ScrapeEncoding.Identity)]
    [TestCase("gzip; q=0.000", ScrapeEncoding.Identity)]
    [TestCase("*", ScrapeEncoding.Gzip)]
    [TestCase("*;q=0", ScrapeEncoding.Identity)]
    [TestCase("gzip;q=0, *", ScrapeEncoding.Identity)]
    [TestCase("*;q=0, gzip;q=0.1", ScrapeEncoding.Gzip)]
    [TestCase("identity, deflate, br", ScrapeEncoding.Identity)]
    [TestCase("gzip;q=abc", ScrapeEncoding.Identity)]
    [TestCase("gzip;q=1.5", ScrapeEncoding.Identity)]
    public void Gzip_is_chosen_when_accept_encoding_allows_it_with_a_non_zero_quality(string? acceptEncoding, ScrapeEncoding expected)
    {
        var scrape = ScrapeRequest.Read("GET", null, acceptEncoding);

        scrape.Encoding.ShouldBe(expected);
        scrape.ContentEncoding.ShouldBe(expected == ScrapeEncoding.Gzip ? "gzip" : null);
    }

    [Test]
    public void The_format_and_content_type_follow_the_accept_header()
    {
        var prometheus = ScrapeRequest.Read("GET", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", null);
        var plain = ScrapeRequest.Read("GET", "text/plain", null);

        prometheus.Format.ShouldBe(ExpositionFormat.OpenMetrics);
        prometheus.ContentType.ShouldBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
        plain.Format.ShouldBe(ExpositionFormat.PrometheusText);
        plain.ContentType.ShouldBe("text/plain; version=0.0.4; charset=utf-8");
    }
}
