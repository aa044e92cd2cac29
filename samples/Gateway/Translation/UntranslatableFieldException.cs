namespace Gateway.Translation;

/// <summary>
/// A request field that the provider's API has no way to express. The gateway answers 400 naming the field rather
/// than drop it and serve a different request than the one the client sent.
/// </summary>
internal sealed class UntranslatableFieldException(string field, string reason)
    : Exception($"The field '{field}' cannot be translated: {reason}")
{
    /// <summary>The field's path in the client's request, such as <c>messages[2].content[0].type</c>.</summary>
    public string Field { get; } = field;
}
