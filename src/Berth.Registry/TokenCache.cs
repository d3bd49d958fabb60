using System.Collections.Concurrent;

namespace Berth.Registry;

/// <summary>Bearer tokens per realm, service, scope and user, kept until shortly before they expire.</summary>
internal sealed class TokenCache
{
    /// <summary>A token is not reused in its last seconds: a request started then could arrive after expiry.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public TokenCache(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public static string Key(AuthChallenge challenge, IEnumerable<string> scopes, string? user) =>
        $"{challenge.Realm}\n{challenge.Service}\n{string.Join(' ', scopes.Order(StringComparer.Ordinal))}\n{user}";

    public string? Get(string key) =>
        _tokens.TryGetValue(key, out var entry) && entry.Expires - Margin > _time.GetUtcNow() ? entry.Token : null;

    /// <summary>distribution's token spec: expires_in defaults to (and is at least) 60 seconds.</summary>
    public void Put(string key, string token, int expiresIn) =>
        _tokens[key] = (token, _time.GetUtcNow().AddSeconds(Math.Max(expiresIn, 60)));
}
