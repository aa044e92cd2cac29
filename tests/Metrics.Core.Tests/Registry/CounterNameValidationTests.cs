namespace Metrics.Tests.Registry;

/// <summary>
/// Counter factories append <c>_total</c>, but they validate the name the caller gave, so an empty name is refused
/// instead of registering <c>_total</c>, and the error quotes the caller's own value. Found by the random invalid-name
/// test of Interop.Tests.
/// </summary>
public sealed class CounterNameValidationTests
{
    [Test]
    public void Empty_counter_names_are_refused_by_every_counter_factory_instead_of_becoming_total()
    {
        var registry = new MetricRegistry();

        foreach (var register in (Action[])[
            () => registry.CreateCounter("", "Empty."),
            () => registry.CreateCounterFamily("", "Empty.", ["a"]),
            () => registry.CreateDoubleCounter("", "Empty."),
            () => registry.CreateDoubleCounterFamily("", "Empty.", ["a"]),
            () => registry.CreateCallbackCounter("", "Empty.", static () => 1)])
        {
            var exception = Should.Throw<ArgumentException>(register);
            exception.Message.ShouldBe($"Invalid metric name '': {MetricNames.MetricNameRule}. (Parameter 'name')");
        }

        registry.Families.ShouldBeEmpty();
    }

    [Test]
    public void Invalid_counter_name_error_quotes_the_name_as_given_without_the_appended_total()
    {
        var exception = Should.Throw<ArgumentException>(() => new MetricRegistry().CreateCounter("http-requests", "Requests."));

        exception.Message.ShouldBe($"Invalid metric name 'http-requests': {MetricNames.MetricNameRule}. (Parameter 'name')");
    }
}
