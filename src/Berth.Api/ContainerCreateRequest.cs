namespace Berth.Api;

/// <summary>The body of <c>POST /containers/create</c>: a <see cref="ContainerConfig"/> with HostConfig and NetworkingConfig nested in it.</summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }

    public NetworkingConfig? NetworkingConfig { get; set; }
}
