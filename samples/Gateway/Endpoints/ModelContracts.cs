namespace Gateway.Endpoints;

/// <summary>OpenAI's model list: <c>{"object":"list","data":[...]}</c>.</summary>
/// <param name="Object">Always <c>list</c>.</param>
/// <param name="Data">The models.</param>
internal sealed record OpenAIModelList(string Object, IReadOnlyList<OpenAIModel> Data);

/// <summary>One model in OpenAI's shape.</summary>
/// <param name="Id">The model name.</param>
/// <param name="Object">Always <c>model</c>.</param>
/// <param name="Created">A Unix time; the gateway reports its start.</param>
/// <param name="OwnedBy">The first provider of the model's chain.</param>
internal sealed record OpenAIModel(string Id, string Object, long Created, string OwnedBy);

/// <summary>Anthropic's model list.</summary>
/// <param name="Data">The models.</param>
/// <param name="HasMore">Always false: the list is complete.</param>
/// <param name="FirstId">The first model's name.</param>
/// <param name="LastId">The last model's name.</param>
internal sealed record AnthropicModelList(IReadOnlyList<AnthropicModel> Data, bool HasMore, string? FirstId, string? LastId);

/// <summary>One model in Anthropic's shape.</summary>
/// <param name="Type">Always <c>model</c>.</param>
/// <param name="Id">The model name.</param>
/// <param name="DisplayName">The model name.</param>
/// <param name="CreatedAt">The gateway's start.</param>
internal sealed record AnthropicModel(string Type, string Id, string DisplayName, DateTimeOffset CreatedAt);
