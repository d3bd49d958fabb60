using System.Text.Json;

namespace Berth.Api;

/// <summary>
/// The <c>filters</c> query parameter of list and prune calls: JSON mapping a filter name to its values. The docker
/// CLI sends <c>{"name":{"web":true}}</c>; the API also documents <c>{"name":["web"]}</c>. Both are read.
/// </summary>
public sealed class FilterArgs
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static FilterArgs Empty => new();

    public IReadOnlyCollection<string> Names => _values.Keys;

    public bool Contains(string name) => _values.ContainsKey(name);

    public IReadOnlyList<string> Get(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public FilterArgs Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var values))
            _values[name] = values = [];
        if (!values.Contains(value))
            values.Add(value);
        return this;
    }

    /// <summary>Parses the query value; null or empty means no filter. Throws <see cref="InvalidFilterException"/> for anything else than the two shapes.</summary>
    public static FilterArgs Parse(string? json)
    {
        var filters = new FilterArgs();
        if (string.IsNullOrWhiteSpace(json))
            return filters;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidFilterException("filters must be a JSON object");
            foreach (var filter in document.RootElement.EnumerateObject())
            {
                switch (filter.Value.ValueKind)
                {
                    case JsonValueKind.Array:
                        foreach (var value in filter.Value.EnumerateArray())
                            filters.Add(filter.Name, value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new InvalidFilterException($"filter `{filter.Name}`: values must be strings"));
                        break;
                    case JsonValueKind.Object:
                        foreach (var value in filter.Value.EnumerateObject())
                            if (value.Value.ValueKind == JsonValueKind.True)
                                filters.Add(filter.Name, value.Name);
                        break;
                    default:
                        throw new InvalidFilterException($"filter `{filter.Name}`: expected a list or a map of values");
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidFilterException($"invalid filter: {e.Message}", e);
        }
        return filters;
    }

    /// <summary>The CLI's form, <c>{"name":{"value":true}}</c>; empty string when there is no filter.</summary>
    public string ToJson()
    {
        if (_values.Count == 0)
            return "";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in _values)
            {
                writer.WriteStartObject(name);
                foreach (string value in values)
                    writer.WriteBoolean(value, true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
