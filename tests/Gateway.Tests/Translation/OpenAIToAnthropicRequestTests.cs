using System.Text;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Surfaces;
using Gateway.Translation;

namespace Gateway.Tests.Translation;

public class OpenAIToAnthropicRequestTests
{
    [Test]
    public void Chat_request_with_system_turns_images_tools_and_tool_results_translates_field_for_field()
    {
        const string Chat = """
            {"model":"claude-test","max_completion_tokens":300,"temperature":0.5,"top_p":0.9,"stop":["END"],"stream":true,
             "stream_options":{"include_usage":true},"user":"u-42","parallel_tool_calls":false,"n":1,"store":false,
             "messages":[
               {"role":"system","content":"Be brief."},
               {"role":"developer","content":[{"type":"text","text":"Use metric units."}]},
               {"role":"user","content":[{"type":"text","text":"Weather here?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}}]},
               {"role":"assistant","content":null,"tool_calls":[
                 {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                 {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},
               {"role":"tool","tool_call_id":"call_1","content":"21 C"},
               {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"noon"}]},
               {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                      {"type":"function","function":{"name":"get_time"}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}}}
            """;

        var context = new TranslationContext(ApiSurface.OpenAIChat, Gateway.Configuration.ProviderStyle.Anthropic);
        var translated = Translate(Chat, ApiSurface.OpenAIChat, context);

        translated.ShouldBe(
            "{\"model\":\"claude-upstream\",\"max_tokens\":300,"
            + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"},{\"type\":\"text\",\"text\":\"Use metric units.\"}],"
            + "\"messages\":["
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather here?\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0K\"}}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}},{\"type\":\"tool_use\",\"id\":\"call_2\",\"name\":\"get_time\",\"input\":{}}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":[{\"type\":\"text\",\"text\":\"21 C\"}]},{\"type\":\"tool_result\",\"tool_use_id\":\"call_2\",\"content\":[{\"type\":\"text\",\"text\":\"noon\"}]},{\"type\":\"text\",\"text\":\"Thanks\"}]}],"
            + "\"temperature\":0.5,\"top_p\":0.9,\"stop_sequences\":[\"END\"],\"stream\":true,"
            + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}},{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\",\"properties\":{}}}],"
            + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true},"
            + "\"metadata\":{\"user_id\":\"u-42\"}}");
        context.IncludeUsage.ShouldBeTrue();
    }

    [Test]
    public void Responses_request_with_instructions_function_calls_and_outputs_translates_and_keeps_what_the_response_echoes()
    {
        const string Responses = """
            {"model":"claude-test","instructions":"Be brief.","max_output_tokens":50,"temperature":0.2,
             "input":[{"role":"user","content":"Weather?"},
                      {"type":"function_call","call_id":"call_9","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"},
                      {"type":"function_call_output","call_id":"call_9","output":"-3 C"},
                      {"type":"message","role":"assistant","content":[{"type":"output_text","text":"It is cold."}]}],
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"},"strict":false}],"tool_choice":"required"}
            """;

        var context = new TranslationContext(ApiSurface.OpenAIResponses, Gateway.Configuration.ProviderStyle.Anthropic);
        var translated = Translate(Responses, ApiSurface.OpenAIResponses, context);

        translated.ShouldBe(
            "{\"model\":\"claude-upstream\",\"max_tokens\":50,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],"
            + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather?\"}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_9\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_9\",\"content\":[{\"type\":\"text\",\"text\":\"-3 C\"}]}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"It is cold.\"}]}],"
            + "\"temperature\":0.2,\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"any\"}}");
        context.Echo.Keys.Order().ShouldBe(["instructions", "max_output_tokens", "temperature", "tool_choice", "tools"]);
    }

    [TestCase(GatewayOptions.DefaultMaxOutputTokens, 4096)]
    [TestCase(4096, 4096)]
    [TestCase(1000, 1000)]
    public void Request_without_a_token_limit_asks_anthropic_for_4096_or_the_gateways_output_token_limit_when_lower(int outputTokenLimit, int expected)
    {
        using var document = JsonDocument.Parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        var context = new TranslationContext(ApiSurface.OpenAIChat, ProviderStyle.Anthropic);

        var translated = Encoding.UTF8.GetString(OpenAIToAnthropicRequest.Translate(document.RootElement, ApiSurface.OpenAIChat, "claude-upstream", outputTokenLimit, context));

        translated.ShouldBe($"{{\"model\":\"claude-upstream\",\"max_tokens\":{expected},\"messages\":[{{\"role\":\"user\",\"content\":[{{\"type\":\"text\",\"text\":\"hi\"}}]}}]}}");
    }

    [TestCase("{\"n\":2}", "n")]
    [TestCase("{\"temperature\":1.5}", "temperature")]
    [TestCase("{\"seed\":7}", "seed")]
    [TestCase("{\"logprobs\":true}", "logprobs")]
    [TestCase("{\"response_format\":{\"type\":\"json_object\"}}", "response_format")]
    [TestCase("{\"frequency_penalty\":0.5}", "frequency_penalty")]
    [TestCase("{\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":true}}]}", "tools[0].function.strict")]
    [TestCase("{\"messages\":[{\"role\":\"user\",\"name\":\"ann\",\"content\":\"hi\"}]}", "messages[0].name")]
    [TestCase("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{}}]}]}", "messages[0].content[0].type")]
    [TestCase("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"high\"}}]}]}", "messages[0].content[0].image_url.detail")]
    [TestCase("{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}", "messages[0].tool_calls[0].function.arguments")]
    public void Chat_field_the_messages_api_cannot_express_is_refused_by_name(string fields, string field)
    {
        var request = Merge("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", fields);

        var error = Should.Throw<UntranslatableFieldException>(() => Translate(request, ApiSurface.OpenAIChat, new TranslationContext(ApiSurface.OpenAIChat, Gateway.Configuration.ProviderStyle.Anthropic)));

        error.Field.ShouldBe(field);
        error.Message.ShouldStartWith($"The field '{field}' cannot be translated: ");
    }

    [TestCase("{\"store\":true}", "store")]
    [TestCase("{\"previous_response_id\":\"resp_1\"}", "previous_response_id")]
    [TestCase("{\"reasoning\":{\"effort\":\"high\"}}", "reasoning")]
    [TestCase("{\"text\":{\"format\":{\"type\":\"json_schema\"}}}", "text")]
    [TestCase("{\"input\":[{\"type\":\"reasoning\",\"summary\":[]}]}", "input[0].type")]
    [TestCase("{\"tools\":[{\"type\":\"web_search\"}]}", "tools[0].type")]
    public void Responses_field_the_messages_api_cannot_express_is_refused_by_name(string fields, string field)
    {
        var request = Merge("{\"model\":\"m\",\"input\":\"hi\"}", fields);

        var error = Should.Throw<UntranslatableFieldException>(() => Translate(request, ApiSurface.OpenAIResponses, new TranslationContext(ApiSurface.OpenAIResponses, Gateway.Configuration.ProviderStyle.Anthropic)));

        error.Field.ShouldBe(field);
    }

    private static string Translate(string request, ApiSurface surface, TranslationContext context)
    {
        using var document = JsonDocument.Parse(request);
        return Encoding.UTF8.GetString(OpenAIToAnthropicRequest.Translate(document.RootElement, surface, "claude-upstream", GatewayOptions.DefaultMaxOutputTokens, context));
    }

    // The second object's fields replace or join the first's.
    internal static string Merge(string baseJson, string fields)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(baseJson)!.AsObject();
        foreach (var (name, value) in System.Text.Json.Nodes.JsonNode.Parse(fields)!.AsObject())
        {
            node[name] = value?.DeepClone();
        }

        return node.ToJsonString();
    }
}
