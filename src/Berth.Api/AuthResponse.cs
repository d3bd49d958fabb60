using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The answer of POST /auth: <c>{"Status":"Login Succeeded","IdentityToken":""}</c>.</summary>
public sealed class AuthResponse
{
    public string Status { get; set; } = "";

    public string IdentityToken { get; set; } = "";
}
