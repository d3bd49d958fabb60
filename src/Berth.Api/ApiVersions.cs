namespace Berth.Api;

/// <summary>The Engine API versions Berth speaks (docker-api-notes §1.2).</summary>
public static class ApiVersions
{
    /// <summary>What the daemon advertises in <c>Api-Version</c> and <c>/version</c>: what docker CLI 28.x speaks.</summary>
    public const string Current = "1.50";

    /// <summary>The oldest version the daemon accepts (moby's defaultMinAPIVersion).</summary>
    public const string Minimum = "1.40";
}
