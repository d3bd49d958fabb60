using System.Collections;

namespace Berth.Http;

/// <summary>
/// Header fields in the order they were added. Names compare case-insensitively; a name may repeat.
/// Values are checked so that no CR or LF can reach the wire.
/// </summary>
public sealed class HttpHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = new();

    public int Count => _fields.Count;

    /// <summary>The first value of <paramref name="name"/>, or null. Setting replaces every value.</summary>
    public string? this[string name]
    {
        get => Get(name);
        set
        {
            if (value is null)
                Remove(name);
            else
                Set(name, value);
        }
    }

    public string? Get(string name)
    {
        foreach (var field in _fields)
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                return field.Value;
        return null;
    }

    public IEnumerable<string> GetValues(string name)
    {
        foreach (var field in _fields)
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                yield return field.Value;
    }

    public bool Contains(string name) => Get(name) is not null;

    public void Add(string name, string value)
    {
        CheckField(name, value);
        _fields.Add(new(name, value));
    }

    public void Set(string name, string value)
    {
        CheckField(name, value);
        int index = _fields.FindIndex(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        Remove(name);
        _fields.Insert(index < 0 ? _fields.Count : index, new(name, value));
    }

    public bool Remove(string name) =>
        _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    public void Clear() => _fields.Clear();

    /// <summary>
    /// Whether any value of <paramref name="name"/>, read as a comma-separated list, holds
    /// <paramref name="token"/> (case-insensitive): <c>Connection: keep-alive, Upgrade</c> has "upgrade".
    /// </summary>
    public bool ContainsToken(string name, string token)
    {
        foreach (var value in GetValues(name))
            foreach (var part in value.Split(','))
                if (string.Equals(part.Trim(), token, StringComparison.OrdinalIgnoreCase))
                    return true;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a field parsed off the wire, already validated by the parser.</summary>
    internal void AddParsed(string name, string value) => _fields.Add(new(name, value));

    private static void CheckField(string name, string value)
    {
        if (!HttpSyntax.IsToken(name))
            throw new ArgumentException($"invalid header name `{name}`", nameof(name));
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException($"header `{name}` has a line break or NUL in its value", nameof(value));
    }
}
