using System.Collections;

namespace Berth.Http;

/// <summary>
/// The decoded parameters of a query string, in order. Names compare ordinally, as in Go's url.Values.
/// <c>?a=1&amp;b&amp;a=2</c> gives a → "1", "2" and b → "".
/// </summary>
public sealed class QueryCollection : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _parameters = new();

    public static QueryCollection Empty { get; } = new();

    public int Count => _parameters.Count;

    /// <summary>The first value of <paramref name="name"/>, or null when absent.</summary>
    public string? this[string name] => GetValues(name).FirstOrDefault();

    public IEnumerable<string> GetValues(string name) =>
        _parameters.Where(p => p.Key == name).Select(p => p.Value);

    public bool Contains(string name) => _parameters.Any(p => p.Key == name);

    /// <summary>
    /// Docker's boolean parameter rule (moby httputils.BoolValue): false when absent or one of
    /// "", "0", "no", "false", "none" (any case, trimmed); true otherwise.
    /// </summary>
    public bool GetBool(string name)
    {
        string value = (this[name] ?? "").Trim().ToLowerInvariant();
        return value is not ("" or "0" or "no" or "false" or "none");
    }

    /// <summary>Parses a raw query string (without '?'). Throws <see cref="HttpProtocolException"/> on bad escapes.</summary>
    public static QueryCollection Parse(string query)
    {
        var collection = new QueryCollection();
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            string name = equals < 0 ? pair : pair[..equals];
            string value = equals < 0 ? "" : pair[(equals + 1)..];
            collection._parameters.Add(new(PercentEncoding.Decode(name, true), PercentEncoding.Decode(value, true)));
        }
        return collection;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _parameters.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
