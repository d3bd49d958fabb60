using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// Registry credentials: the body of POST /auth and, base64url-encoded, the X-Registry-Auth header of pull and push
/// (moby api/types/registry/authconfig.go). <see cref="Auth"/> is base64 of <c>user:password</c>.
/// </summary>
public sealed class AuthConfig
{
    [JsonPropertyName("username")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Username { get; set; }

    [JsonPropertyName("password")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Password { get; set; }

    [JsonPropertyName("auth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Auth { get; set; }

    [JsonPropertyName("serveraddress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServerAddress { get; set; }

    [JsonPropertyName("identitytoken")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IdentityToken { get; set; }

    [JsonPropertyName("registrytoken")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RegistryToken { get; set; }
}
