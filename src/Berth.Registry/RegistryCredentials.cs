namespace Berth.Registry;

/// <summary>What the client sends for one registry: a user and password, or an identity token (an OAuth refresh token).</summary>
public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken = null)
{
    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null;
}
