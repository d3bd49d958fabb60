using System.Text.Json.Serialization;

namespace Berth.Registry;

/// <summary>A token server's answer (distribution docs spec/auth/token.md): <c>token</c> or <c>access_token</c>, <c>expires_in</c> seconds.</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; set; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }

    [JsonPropertyName("issued_at")]
    public DateTimeOffset? IssuedAt { get; set; }
}
