using System.Net.Http.Headers;

namespace Berth.Registry;

/// <summary>A registry's <c>WWW-Authenticate</c> answer: <c>Basic realm=…</c> or <c>Bearer realm=…,service=…,scope=…</c>.</summary>
internal sealed record AuthChallenge(string Scheme, string? Realm, string? Service, string? Scope)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first Bearer or Basic challenge of a 401 answer, or null.</summary>
    public static AuthChallenge? From(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
                return Parse(header);
        }
        return null;
    }

    private static AuthChallenge Parse(AuthenticationHeaderValue header)
    {
        var values = ParseParameters(header.Parameter ?? "");
        return new AuthChallenge(header.Scheme, values.GetValueOrDefault("realm"), values.GetValueOrDefault("service"), values.GetValueOrDefault("scope"));
    }

    /// <summary>RFC 7235 auth-params: <c>key="quoted, value",key2=token</c>; keys are case-insensitive.</summary>
    internal static Dictionary<string, string> ParseParameters(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
                i++;
            int eq = text.IndexOf('=', i);
            if (eq < 0)
                break;
            string key = text[i..eq].Trim();
            i = eq + 1;
            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                    value.Append(text[i]);
            }
            values[key] = value.ToString().Trim();
        }
        return values;
    }
}
