namespace Gateway.Translation;

/// <summary>How the two APIs say why an answer ended.</summary>
internal static class StopReasons
{
    /// <summary>OpenAI Chat's <c>finish_reason</c> for Anthropic's <c>stop_reason</c>.</summary>
    public static string ToOpenAIFinish(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    /// <summary>Anthropic's <c>stop_reason</c> for OpenAI Chat's <c>finish_reason</c>.</summary>
    public static string ToAnthropic(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    /// <summary>The Responses <c>incomplete_details.reason</c> for Anthropic's <c>stop_reason</c>, or null when the answer is complete.</summary>
    public static string? ToResponsesIncomplete(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "max_output_tokens",
        "refusal" => "content_filter",
        _ => null,
    };
}
