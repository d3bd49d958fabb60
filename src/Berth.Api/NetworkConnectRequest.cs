namespace Berth.Api;

/// <summary>The body of <c>POST /networks/{id}/connect</c> and <c>/disconnect</c> (Force is disconnect's).</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";

    public EndpointSettings? EndpointConfig { get; set; }

    public bool Force { get; set; }
}
