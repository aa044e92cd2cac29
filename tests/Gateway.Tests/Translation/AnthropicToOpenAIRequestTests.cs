using System.Text;
using System.Text.Json;
using Gateway.Translation;

namespace Gateway.Tests.Translation;

public class AnthropicToOpenAIRequestTests
{
    [Test]
    public void Messages_request_with_system_images_tool_use_and_tool_results_translates_field_for_field()
    {
        const string Messages = """
            {"model":"gpt-test","max_tokens":200,"temperature":0.3,"top_p":0.8,"stop_sequences":["END"],"stream":true,
             "metadata":{"user_id":"u-7"},
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
             "messages":[
               {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]},
               {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"cat"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a cat"},{"type":"text","text":"So?"}]}],
             "tools":[{"name":"lookup","description":"Looks up.","input_schema":{"type":"object","properties":{"q":{"type":"string"}}}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true}}
            """;

        Translate(Messages).ShouldBe(
            "{\"model\":\"gpt-upstream\",\"messages\":["
            + "{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"Be brief.\"}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,/9j/4AAQ\"}}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Checking.\"}],\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":\\\"cat\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"a cat\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"So?\"}]}],"
            + "\"max_completion_tokens\":200,\"temperature\":0.3,\"top_p\":0.8,\"stop\":[\"END\"],"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\"Looks up.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}}],"
            + "\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"user\":\"u-7\"}");
    }

    [TestCase("{\"top_k\":5}", "top_k")]
    [TestCase("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}}", "thinking")]
    [TestCase("{\"stop_sequences\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "stop_sequences")]
    [TestCase("{\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}", "tools[0].type")]
    [TestCase("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"boom\",\"is_error\":true}]}]}", "messages[0].content[0].is_error")]
    [TestCase("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}", "messages[0].content[0].type")]
    [TestCase("{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"s\"}]}]}", "messages[0].content[0].type")]
    [TestCase("{\"tool_choice\":{\"type\":\"auto\",\"extra\":1}}", "tool_choice.extra")]
    public void Messages_field_the_chat_api_cannot_express_is_refused_by_name(string fields, string field)
    {
        var request = OpenAIToAnthropicRequestTests.Merge("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", fields);

        var error = Should.Throw<UntranslatableFieldException>(() => Translate(request));

        error.Field.ShouldBe(field);
    }

    [TestCase("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [TestCase("{\"model\":\"m\",\"max_tokens\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    public void Messages_request_without_max_tokens_is_refused_naming_it_since_openai_would_set_no_limit(string request)
    {
        var error = Should.Throw<UntranslatableFieldException>(() => Translate(request));

        error.Field.ShouldBe("max_tokens");
        error.Message.ShouldBe("The field 'max_tokens' cannot be translated: the Anthropic Messages API requires it, and an OpenAI provider would take its absence as no limit");
    }

    private static string Translate(string request)
    {
        using var document = JsonDocument.Parse(request);
        return Encoding.UTF8.GetString(AnthropicToOpenAIRequest.Translate(document.RootElement, "gpt-upstream"));
    }
}
