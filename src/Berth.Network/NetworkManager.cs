using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using Berth.Network.Dns;
using Berth.Network.Ipam;
using Berth.Network.Netlink;
using Berth.Network.Nftables;

namespace Berth.Network;

/// <summary>
/// Networks, their IPAM leases and their kernel state (bridges, the nft table, published-port reservations).
/// Every change runs under one lock and is persisted before the lock is released, so two concurrent creates or
/// connects can never be given the same subnet or address. The kernel state is rebuilt from the records by
/// <see cref="Initialize"/> at daemon start, so nothing stale survives a kill -9 of berthd.
/// </summary>
public sealed class NetworkManager
{
    public const string MtuOption = "com.docker.network.driver.mtu";
    public const string BridgeNameOption = "com.docker.network.bridge.name";
    public const string IccOption = "com.docker.network.bridge.enable_icc";
    public const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";

    private readonly NetworkHost _host;
    private readonly NetworkStore _store;
    private readonly AddressPools _pools;
    private readonly string _table;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, NetworkRecord> _networks = [];
    private readonly Dictionary<(string Network, string Container), List<PortReservation>> _reservations = [];
    private DnsResponder? _dns;

    public NetworkManager(NetworkHost host, NetworkStore store, AddressPools? pools = null, string table = BerthRuleset.DefaultTable)
    {
        _host = host;
        _store = store;
        _pools = pools ?? new AddressPools();
        _table = table;
    }

    public NetworkHost Host => _host;

    /// <summary>
    /// Told of every change dockerd reports as a network event: (action, network, container ID or null) for
    /// create, destroy, connect and disconnect. Called under the manager's lock, so it must not block or call back.
    /// </summary>
    public Action<string, NetworkRecord, string?>? Changed { get; set; }

    /// <summary>
    /// Loads the records, creates the predefined networks on the first start (`bridge` on berth0 with a subnet from
    /// the pools, or <paramref name="defaultBridgeSubnet"/> (--bip)), recreates missing bridges and rebuilds the nft
    /// table in one transaction, published ports of the recorded endpoints included. Not yet done: re-taking the
    /// host-port reservations of those ports and unwiring endpoints whose containers died with the daemon; both
    /// belong to the engine's recovery, which knows which containers still run.
    /// </summary>
    public void Initialize(string? defaultBridgeSubnet = null, string? defaultBridgeGateway = null)
    {
        lock (_lock)
        {
            foreach (var record in _store.LoadAll())
                _networks[record.Id] = record;
            if (!_networks.Values.Any(n => n.Name == NetworkDrivers.DefaultNetwork))
                CreateLocked(new NetworkCreateOptions { Name = NetworkDrivers.DefaultNetwork, Subnet = defaultBridgeSubnet, Gateway = defaultBridgeSubnet is null ? null : defaultBridgeGateway }, predefined: true);
            foreach (var (name, driver) in new[] { (NetworkDrivers.HostNetwork, NetworkDrivers.Host), (NetworkDrivers.NoneNetwork, NetworkDrivers.Null) })
                if (!_networks.Values.Any(n => n.Name == name))
                    Save(new NetworkRecord { Id = NewId(), Name = name, Driver = driver, Created = DateTimeOffset.MinValue });
            _host.WriteSysctl("net.ipv4.ip_forward", "1");
            foreach (var network in _networks.Values.Where(n => n.IsBridge))
                EnsureBridge(network);
            RebuildFirewall();
        }
    }

    /// <summary>
    /// Starts the embedded DNS server on the gateway of every user-defined network, now and as they are created:
    /// container names and aliases resolve there, anything else goes to <paramref name="upstreams"/>.
    /// </summary>
    public void EnableDns(IReadOnlyList<IPEndPoint> upstreams)
    {
        lock (_lock)
        {
            _dns ??= new DnsResponder(Resolve, upstreams, UpstreamsOf);
            foreach (var network in _networks.Values.Where(n => n.IsBridge && !n.IsDefaultBridge))
                _dns.Listen(network.Id, IPAddress.Parse(network.Gateway!), _host);
        }
    }

    /// <summary>The address containers of <paramref name="network"/> use as their nameserver: its gateway when DNS serves it.</summary>
    public IPAddress? ResolverOf(NetworkRecord network) =>
        _dns is not null && network.IsBridge && !network.IsDefaultBridge ? IPAddress.Parse(network.Gateway!) : null;

    public IReadOnlyList<NetworkRecord> List()
    {
        lock (_lock)
            return [.. _networks.Values];
    }

    /// <summary>Finds a network by full name, full ID or unique ID prefix, as Docker does; 404 otherwise.</summary>
    public NetworkRecord Get(string idOrName)
    {
        lock (_lock)
            return Find(idOrName) ?? throw new NetworkException(NetworkErrorKind.NotFound, $"network {idOrName} not found");
    }

    public NetworkRecord Create(NetworkCreateOptions options)
    {
        lock (_lock)
        {
            var network = CreateLocked(options, predefined: false);
            Changed?.Invoke("create", network, null);
            return network;
        }
    }

    public void Remove(string idOrName)
    {
        lock (_lock)
        {
            var network = Find(idOrName) ?? throw new NetworkException(NetworkErrorKind.NotFound, $"network {idOrName} not found");
            if (NetworkDrivers.IsPredefined(network.Name))
                throw new NetworkException(NetworkErrorKind.Forbidden, $"{network.Name} is a pre-defined network and cannot be removed");
            if (network.Endpoints.Count > 0)
                throw new NetworkException(NetworkErrorKind.Forbidden,
                    $"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            _store.Delete(network.Id);
            _networks.Remove(network.Id);
            // StopAsync closes the socket before it returns its first await; the loop's end needs no waiting here.
            _ = _dns?.StopAsync(network.Id);
            RebuildFirewall();
            if (network.BridgeName is not null && _host.Netlink.LinkIndex(network.BridgeName) is int index)
                _host.Netlink.DeleteLink(index);
            Changed?.Invoke("destroy", network, null);
        }
    }

    /// <summary>
    /// Leases an address for a container on a network and records its endpoint (a created container is connected
    /// before it runs; <see cref="Wire"/> gives it an interface when it starts).
    /// </summary>
    public EndpointRecord Connect(string idOrName, string containerId, string containerName, string? requestedAddress,
        IReadOnlyList<string> aliases, IReadOnlyList<string> links, string interfaceName = "eth0", bool persist = true, IReadOnlyList<string>? dns = null,
        string? macAddress = null)
    {
        lock (_lock)
        {
            var network = Find(idOrName) ?? throw new NetworkException(NetworkErrorKind.NotFound, $"network {idOrName} not found");
            if (!network.IsBridge)
                throw new NetworkException(NetworkErrorKind.InvalidArgument, $"container cannot be connected to network {network.Name}: use --network {network.Name} when creating it");
            if (network.Endpoints.ContainsKey(containerId))
                throw new NetworkException(NetworkErrorKind.Forbidden, $"endpoint with name {containerName} already exists in network {network.Name}");
            if (aliases.Count > 0 && network.IsDefaultBridge)
                throw new NetworkException(NetworkErrorKind.InvalidArgument, "network-scoped alias is supported only for containers in user defined networks");
            var subnet = Ipv4Cidr.Parse(network.Subnet!);
            var leased = network.Endpoints.Values.Select(e => Ipv4Cidr.ToUInt32(IPAddress.Parse(e.IPv4Address))).ToHashSet();
            IPAddress address;
            if (!string.IsNullOrEmpty(requestedAddress))
            {
                if (network.IsDefaultBridge)
                    throw new NetworkException(NetworkErrorKind.InvalidArgument, "user specified IP address is supported on user defined networks only");
                if (!network.UserSubnet)
                    throw new NetworkException(NetworkErrorKind.InvalidArgument, "user specified IP address is supported only when connecting to networks with user configured subnets");
                if (!Ipv4Cidr.TryParseAddress(requestedAddress, out var requested) || !subnet.Contains(requested))
                    throw new NetworkException(NetworkErrorKind.InvalidArgument, $"invalid address {requestedAddress}: it does not belong to the network's subnet {network.Subnet}");
                uint value = Ipv4Cidr.ToUInt32(requested);
                if (leased.Contains(value) || requested.Equals(IPAddress.Parse(network.Gateway!)))
                    throw new NetworkException(NetworkErrorKind.Conflict, $"Address already in use: {requestedAddress}");
                address = requested;
            }
            else
            {
                address = AddressAllocator.Next(subnet, network.IpRange is null ? null : Ipv4Cidr.Parse(network.IpRange),
                    IPAddress.Parse(network.Gateway!), leased)
                    ?? throw new NetworkException(NetworkErrorKind.Conflict, $"no available IPv4 addresses on network {network.Name}");
            }
            var endpoint = new EndpointRecord
            {
                ContainerId = containerId,
                ContainerName = containerName,
                EndpointId = NewId(),
                IPv4Address = address.ToString(),
                MacAddress = macAddress ?? NewMac(),
                InterfaceName = interfaceName,
                Aliases = [.. aliases],
                Links = [.. links],
                Dns = [.. dns ?? []],
                StaticAddress = !string.IsNullOrEmpty(requestedAddress),
            };
            network.Endpoints[containerId] = endpoint;
            Changed?.Invoke("connect", network, containerId);
            // persist false: the caller Wires (which saves the record) or Disconnects (which saves) right after, under
            // the same in-memory lease table, and recovery drops every endpoint after a kill -9; the saved fsyncs
            // were 1.5-16 ms of the start step on a loaded 2-core host.
            if (!persist)
                return endpoint;
            try
            {
                _store.Save(network);
            }
            catch
            {
                network.Endpoints.Remove(containerId);
                Changed?.Invoke("disconnect", network, containerId);
                throw;
            }
            return endpoint;
        }
    }

    /// <summary>
    /// Unwires (when wired) and forgets a container's endpoint, releasing its lease. A stopped container's veth goes
    /// with its namespace, so the exit path passes <paramref name="deleteInterface"/> false (see <see cref="Unwire"/>),
    /// and <paramref name="durable"/> false: an exited container's endpoint need not be forgotten durably
    /// (<see cref="NetworkStore"/>).
    /// </summary>
    public void Disconnect(string idOrName, string containerId, bool deleteInterface = true, bool durable = true)
    {
        lock (_lock)
        {
            var network = Find(idOrName) ?? throw new NetworkException(NetworkErrorKind.NotFound, $"network {idOrName} not found");
            if (!network.Endpoints.TryGetValue(containerId, out var endpoint))
                throw new NetworkException(NetworkErrorKind.Forbidden, $"container {containerId} is not connected to network {network.Name}");
            UnwireLocked(network, endpoint, deleteInterface);
            network.Endpoints.Remove(containerId);
            if (durable)
                _store.Save(network);
            else
                _store.SaveRuntime(network);
            Changed?.Invoke("disconnect", network, containerId);
        }
    }

    /// <summary>The networks a container has an endpoint on, with that endpoint.</summary>
    public IReadOnlyList<(NetworkRecord Network, EndpointRecord Endpoint)> EndpointsOf(string containerId)
    {
        lock (_lock)
            return [.. _networks.Values.Where(n => n.Endpoints.ContainsKey(containerId)).Select(n => (n, n.Endpoints[containerId]))];
    }

    /// <summary>
    /// Recovery after berthd died: the engine's recovery has killed every container that was running, so no endpoint
    /// is live any more. Forgets them all (their leases) and rebuilds the nft table without their ports; their veths
    /// went with their namespaces. Returns how many were dropped.
    /// </summary>
    public int DropAllEndpoints() => KeepEndpointsOf(new HashSet<string>());

    /// <summary>
    /// Recovery at berthd's start: the containers in <paramref name="running"/> outlived the previous berthd (live
    /// restore) and keep their endpoints, their published ports reserved again on the host (a port someone else took
    /// meanwhile stays published through the nft map and is logged by the caller through the return value's
    /// conflicts); every other endpoint is forgotten (its container died with berthd or was never started) and the
    /// nft table rebuilt. Returns how many endpoints were dropped and the ports that could not be reserved again.
    /// </summary>
    public int KeepEndpointsOf(IReadOnlySet<string> running) => KeepEndpointsOf(running, out _);

    public int KeepEndpointsOf(IReadOnlySet<string> running, out List<string> unreserved)
    {
        unreserved = [];
        lock (_lock)
        {
            int dropped = 0;
            foreach (var sockets in _reservations.Values)
                foreach (var socket in sockets)
                    socket.Dispose();
            _reservations.Clear();
            foreach (var network in _networks.Values.Where(n => n.Endpoints.Count > 0))
            {
                var stale = network.Endpoints.Keys.Where(id => !running.Contains(id)).ToList();
                foreach (string id in stale)
                    network.Endpoints.Remove(id);
                dropped += stale.Count;
                if (stale.Count > 0)
                    _store.Save(network);
                foreach (var endpoint in network.Endpoints.Values)
                {
                    var reserved = new List<PortReservation>();
                    foreach (var port in endpoint.Ports)
                    {
                        try
                        {
                            reserved.Add(Reserve(port));
                        }
                        catch (NetworkException e)
                        {
                            unreserved.Add($"{endpoint.ContainerName} {port.HostIp}:{port.HostPort}/{port.Protocol}: {e.Message}");
                        }
                    }
                    _reservations[(network.Id, endpoint.ContainerId)] = reserved;
                }
            }
            if (dropped > 0)
                RebuildFirewall();
            return dropped;
        }
    }

    /// <summary>
    /// The start step: gives a connected container its interface in the network namespace at
    /// <paramref name="namespacePath"/> (/proc/PID/ns/net of its init): a veth whose peer is created directly in
    /// that namespace with the endpoint's MAC, enslaved to the bridge with hairpin on (and isolated when
    /// enable_icc=false); then, through <paramref name="inside"/> (a socket in that namespace) or else on a
    /// <see cref="NamespaceThread"/>, lo and the interface up, the address and the default route; then the published ports reserved on the host and added to the nft maps. On failure nothing
    /// stays half-configured.
    /// </summary>
    public EndpointRecord Wire(string idOrName, string containerId, string namespacePath, IReadOnlyList<PortMapping> ports, bool defaultRoute,
        RouteNetlink? inside = null)
    {
        lock (_lock)
        {
            var network = Find(idOrName) ?? throw new NetworkException(NetworkErrorKind.NotFound, $"network {idOrName} not found");
            if (!network.Endpoints.TryGetValue(containerId, out var endpoint))
                throw new NetworkException(NetworkErrorKind.NotFound, $"container {containerId} is not connected to network {network.Name}");
            if (endpoint.HostInterface is not null)
                UnwireLocked(network, endpoint, deleteInterface: true);
            var reserved = new List<PortReservation>();
            string hostInterface = "veth" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))[..7];
            bool vethCreated = false;
            try
            {
                var resolved = ReservePorts(ports, reserved);
                int bridge = _host.Netlink.LinkIndex(network.BridgeName!)
                    ?? throw new NetworkException(NetworkErrorKind.NotFound, $"bridge {network.BridgeName} of network {network.Name} is missing");
                using (var netns = File.OpenHandle(namespacePath, FileMode.Open, FileAccess.Read))
                    _host.Netlink.CreateVeth(hostInterface, network.Mtu, bridge, endpoint.InterfaceName,
                        PhysicalAddress.Parse(endpoint.MacAddress), (int)netns.DangerousGetHandle());
                vethCreated = true;
                int hostIndex = _host.Netlink.LinkIndex(hostInterface)
                    ?? throw new NetlinkException($"RTM_GETLINK `{hostInterface}` after creating it", ErrnoNames.ENODEV);
                _host.Netlink.SetBridgePort(hostIndex, hairpin: true, isolated: !network.EnableIcc);
                var address = new Ipv4Cidr(IPAddress.Parse(endpoint.IPv4Address), Ipv4Cidr.Parse(network.Subnet!).PrefixLength);
                var gateway = IPAddress.Parse(network.Gateway!);
                var route = defaultRoute && !network.Internal ? gateway : null;
                if (inside is not null)
                    ConfigureInside(inside, endpoint.InterfaceName, address, route);
                else
                    using (var thread = new NamespaceThread(namespacePath))
                        thread.Invoke(() =>
                        {
                            using var netlink = new RouteNetlink();
                            ConfigureInside(netlink, endpoint.InterfaceName, address, route);
                        });
                if (resolved.Count > 0)
                    _host.Nft.Run(BerthRuleset.Elements(_table, endpoint.IPv4Address, resolved, delete: false));
                endpoint.HostInterface = hostInterface;
                endpoint.Ports = resolved;
                _store.SaveRuntime(network);
                _reservations[(network.Id, containerId)] = reserved;
                return endpoint;
            }
            catch
            {
                foreach (var socket in reserved)
                    socket.Dispose();
                if (vethCreated && _host.Netlink.LinkIndex(hostInterface) is int index)
                    _host.Netlink.DeleteLink(index);
                if (endpoint.HostInterface == hostInterface)
                {
                    endpoint.HostInterface = null;
                    endpoint.Ports = [];
                }
                throw;
            }
        }
    }

    /// <summary>
    /// The release step on exit: removes the ports from the nft maps and frees their reservations. The veth goes
    /// with the container's namespace (deleting it costs 16-25 ms of RCU grace periods, host-facts.md), so it is
    /// deleted here only when <paramref name="deleteInterface"/> asks (disconnect of a running container).
    /// </summary>
    public void Unwire(string idOrName, string containerId, bool deleteInterface)
    {
        lock (_lock)
        {
            var network = Find(idOrName);
            if (network is null || !network.Endpoints.TryGetValue(containerId, out var endpoint))
                return;
            UnwireLocked(network, endpoint, deleteInterface);
            _store.Save(network);
        }
    }

    /// <summary>The addresses a name has on a network: container names, aliases, link aliases and short IDs (for DNS).</summary>
    public IReadOnlyList<IPAddress> Resolve(string networkId, string name)
    {
        lock (_lock)
        {
            if (!_networks.TryGetValue(networkId, out var network))
                return [];
            return [.. network.Endpoints.Values.Where(e => DnsNames(e).Contains(name, StringComparer.OrdinalIgnoreCase))
                .Select(e => IPAddress.Parse(e.IPv4Address))];
        }
    }

    /// <summary>
    /// The addresses a name has for the container at <paramref name="client"/> on a network: its own links first (a
    /// `--link db:mysql` on a user network makes "mysql" resolve to db for that container only, as moby's sandbox
    /// aliases), then the network's names.
    /// </summary>
    public IReadOnlyList<IPAddress> Resolve(string networkId, IPAddress client, string name)
    {
        lock (_lock)
        {
            if (!_networks.TryGetValue(networkId, out var network))
                return [];
            string text = client.ToString();
            var asker = network.Endpoints.Values.FirstOrDefault(e => e.IPv4Address == text);
            foreach (string link in asker?.Links ?? [])
            {
                string[] parts = link.Split(':');
                if (string.Equals(parts[^1].TrimStart('/'), name, StringComparison.OrdinalIgnoreCase))
                {
                    name = parts[0].TrimStart('/');
                    break;
                }
            }
            return Resolve(networkId, name);
        }
    }

    /// <summary>The `--dns` servers of the container at <paramref name="client"/> on a network (moby's ExtServers), or null: the host's.</summary>
    public IReadOnlyList<IPEndPoint>? UpstreamsOf(string networkId, IPAddress client)
    {
        lock (_lock)
        {
            string text = client.ToString();
            var asker = _networks.TryGetValue(networkId, out var network) ? network.Endpoints.Values.FirstOrDefault(e => e.IPv4Address == text) : null;
            return asker is { Dns.Count: > 0 } ? [.. asker.Dns.Select(d => new IPEndPoint(IPAddress.Parse(d), 53))] : null;
        }
    }

    /// <summary>The names an endpoint answers to on a user-defined network (Docker's DNSNames: name, aliases, short ID).</summary>
    public static IEnumerable<string> DnsNames(EndpointRecord endpoint) =>
        new[] { endpoint.ContainerName }.Concat(endpoint.Aliases).Append(endpoint.ContainerId[..Math.Min(12, endpoint.ContainerId.Length)])
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static void ConfigureInside(RouteNetlink netlink, string interfaceName, Ipv4Cidr address, IPAddress? gateway)
    {
        if (netlink.LinkIndex("lo") is int lo)
            netlink.SetUp(lo);
        int index = netlink.LinkIndex(interfaceName)
            ?? throw new NetlinkException($"RTM_GETLINK `{interfaceName}` in the container's namespace", ErrnoNames.ENODEV);
        netlink.AddAddress(index, address);
        netlink.SetUp(index);
        if (gateway is not null)
            netlink.AddDefaultRoute(gateway, index);
    }

    private List<PortMapping> ReservePorts(IReadOnlyList<PortMapping> ports, List<PortReservation> reserved)
    {
        var resolved = new List<PortMapping>();
        foreach (var port in ports)
        {
            if (port.HostPortEnd > port.HostPort)
            {
                // A host port range for one container port: its first free port, as moby's port allocator picks.
                for (int candidate = port.HostPort; ; candidate++)
                {
                    try
                    {
                        var fixedPort = port with { HostPort = candidate, HostPortEnd = 0 };
                        reserved.Add(Reserve(fixedPort));
                        resolved.Add(fixedPort);
                        break;
                    }
                    catch (NetworkException e) when (e.Kind == NetworkErrorKind.Conflict && candidate < port.HostPortEnd)
                    {
                    }
                }
                continue;
            }
            if (port.HostPort != 0)
            {
                reserved.Add(Reserve(port));
                resolved.Add(port);
                continue;
            }
            // A random host port comes from the ephemeral range, as Docker's port allocator does: binding port 0
            // makes the kernel choose one from ip_local_port_range that is free for this protocol and address.
            var socket = Reserve(port);
            reserved.Add(socket);
            resolved.Add(port with { HostPort = socket.Port });
        }
        return resolved;
    }

    private PortReservation Reserve(PortMapping port)
    {
        try
        {
            return _host.ReservePort(port);
        }
        catch (NetlinkException e) when (e.Errno == ErrnoNames.EADDRINUSE)
        {
            string address = port.AnyAddress ? "0.0.0.0" : port.HostIp;
            throw new NetworkException(NetworkErrorKind.Conflict,
                $"driver failed programming external connectivity: Bind for {address}:{port.HostPort} failed: port is already allocated");
        }
        catch (NetlinkException e) when (e.Errno == ErrnoNames.EADDRNOTAVAIL)
        {
            throw new NetworkException(NetworkErrorKind.InvalidArgument, $"cannot publish on {port.HostIp}: {e.Message}");
        }
    }

    private void UnwireLocked(NetworkRecord network, EndpointRecord endpoint, bool deleteInterface)
    {
        if (endpoint.Ports.Count > 0)
            _host.Nft.Run(BerthRuleset.Elements(_table, endpoint.IPv4Address, endpoint.Ports, delete: true));
        if (_reservations.Remove((network.Id, endpoint.ContainerId), out var sockets))
            foreach (var socket in sockets)
                socket.Dispose();
        if (deleteInterface && endpoint.HostInterface is not null && _host.Netlink.LinkIndex(endpoint.HostInterface) is int index)
            _host.Netlink.DeleteLink(index);
        endpoint.HostInterface = null;
        endpoint.Ports = [];
    }

    private NetworkRecord CreateLocked(NetworkCreateOptions options, bool predefined)
    {
        if (string.IsNullOrWhiteSpace(options.Name) || !IsValidName(options.Name))
            throw new NetworkException(NetworkErrorKind.InvalidArgument, $"invalid network name \"{options.Name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        if (_networks.Values.Any(n => n.Name == options.Name))
            throw new NetworkException(NetworkErrorKind.Conflict, $"network with name {options.Name} already exists");
        if (options.Driver is not (NetworkDrivers.Bridge or ""))
            throw new NetworkException(NetworkErrorKind.NotFound, $"plugin \"{options.Driver}\" not found");
        int mtu = 1500;
        if (options.Options.TryGetValue(MtuOption, out string? mtuText) && (!int.TryParse(mtuText, out mtu) || mtu is < 68 or > 65535))
            throw new NetworkException(NetworkErrorKind.InvalidArgument, $"invalid MTU {mtuText}");
        bool icc = Flag(options, IccOption), masquerade = Flag(options, MasqueradeOption);
        string id = NewId();
        string bridgeName = options.Options.GetValueOrDefault(BridgeNameOption)
            ?? (predefined ? NetworkDrivers.DefaultBridgeName : "br-" + id[..12]);
        if (bridgeName.Length is 0 or > 15 || !bridgeName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new NetworkException(NetworkErrorKind.InvalidArgument, $"invalid bridge name {bridgeName}");
        if (_networks.Values.Any(n => n.BridgeName == bridgeName))
            throw new NetworkException(NetworkErrorKind.Conflict, $"bridge name {bridgeName} is used by another network");
        var taken = _networks.Values.Where(n => n.Subnet is not null).Select(n => Ipv4Cidr.Parse(n.Subnet!)).ToList();
        Ipv4Cidr subnet;
        if (!string.IsNullOrEmpty(options.Subnet))
        {
            if (!Ipv4Cidr.TryParse(options.Subnet, out subnet) || subnet.PrefixLength > 30)
                throw new NetworkException(NetworkErrorKind.InvalidArgument, $"invalid subnet {options.Subnet}");
            subnet = subnet.Network;
            if (taken.Any(t => t.Overlaps(subnet)))
                throw new NetworkException(NetworkErrorKind.Forbidden, "Pool overlaps with other one on this address space");
        }
        else
        {
            subnet = _pools.Choose(taken.Concat(_host.Netlink.Ipv4Routes()))
                ?? throw new NetworkException(NetworkErrorKind.Forbidden, "all predefined address pools have been fully subnetted");
        }
        IPAddress gateway = Ipv4Cidr.FromUInt32(subnet.Value + 1);
        if (!string.IsNullOrEmpty(options.Gateway))
        {
            if (!Ipv4Cidr.TryParseAddress(options.Gateway, out var requested) || !subnet.Contains(requested)
                || requested.Equals(subnet.Address) || requested.Equals(subnet.Broadcast))
                throw new NetworkException(NetworkErrorKind.InvalidArgument, $"no matching subnet for gateway {options.Gateway}");
            gateway = requested;
        }
        string? range = null;
        if (!string.IsNullOrEmpty(options.IpRange))
        {
            if (!Ipv4Cidr.TryParse(options.IpRange, out var ipRange) || !subnet.Contains(ipRange.Network))
                throw new NetworkException(NetworkErrorKind.InvalidArgument, $"no matching subnet for range {options.IpRange}");
            range = ipRange.Network.ToString();
        }
        var record = new NetworkRecord
        {
            Id = id,
            Name = options.Name,
            Created = DateTimeOffset.UtcNow,
            Driver = NetworkDrivers.Bridge,
            BridgeName = bridgeName,
            Subnet = subnet.ToString(),
            Gateway = gateway.ToString(),
            IpRange = range,
            UserSubnet = !string.IsNullOrEmpty(options.Subnet),
            Internal = options.Internal,
            Attachable = options.Attachable,
            EnableIcc = icc,
            Masquerade = masquerade,
            Mtu = mtu,
            IsDefaultBridge = predefined,
            Labels = new(options.Labels),
            Options = predefined ? DefaultBridgeOptions(bridgeName, mtu) : new(options.Options),
        };
        Save(record);
        try
        {
            EnsureBridge(record);
            RebuildFirewall();
            if (_dns is not null && !predefined)
                _dns.Listen(record.Id, gateway, _host);
        }
        catch
        {
            _ = _dns?.StopAsync(record.Id);
            _store.Delete(record.Id);
            _networks.Remove(record.Id);
            if (_host.Netlink.LinkIndex(bridgeName) is int index)
                _host.Netlink.DeleteLink(index);
            throw;
        }
        return record;
    }

    private void EnsureBridge(NetworkRecord network)
    {
        int? index = _host.Netlink.LinkIndex(network.BridgeName!);
        if (index is null)
        {
            _host.Netlink.CreateBridge(network.BridgeName!, network.Mtu);
            index = _host.Netlink.LinkIndex(network.BridgeName!)
                ?? throw new NetlinkException($"RTM_GETLINK `{network.BridgeName}` after creating it", ErrnoNames.ENODEV);
        }
        var subnet = Ipv4Cidr.Parse(network.Subnet!);
        try
        {
            _host.Netlink.AddAddress(index.Value, new Ipv4Cidr(IPAddress.Parse(network.Gateway!), subnet.PrefixLength));
        }
        catch (NetlinkException e) when (e.Errno == ErrnoNames.EEXIST)
        {
            // A bridge that survived a daemon restart keeps its address.
        }
        // DNAT of 127.0.0.1 to a container routes a packet with a loopback source out of the bridge: the kernel
        // drops it as martian unless route_localnet is on (dockerd does the same with its proxy off).
        _host.WriteSysctl($"net/ipv4/conf/{network.BridgeName}/route_localnet", "1");
    }

    private void RebuildFirewall() => _host.Nft.Run(BerthRuleset.Rebuild(_table, _networks.Values));

    /// <summary>Removes Berth's bridges and nft table from the host (tests, and `berthd --cleanup`).</summary>
    public void RemoveHostState()
    {
        lock (_lock)
        {
            _host.Nft.Run(BerthRuleset.DeleteTable(_table));
            foreach (var network in _networks.Values.Where(n => n.BridgeName is not null))
                if (_host.Netlink.LinkIndex(network.BridgeName!) is int index)
                    _host.Netlink.DeleteLink(index);
            foreach (var sockets in _reservations.Values)
                foreach (var socket in sockets)
                    socket.Dispose();
            _reservations.Clear();
        }
    }

    private void Save(NetworkRecord record)
    {
        _store.Save(record);
        _networks[record.Id] = record;
    }

    private NetworkRecord? Find(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName))
            return null;
        var byName = _networks.Values.FirstOrDefault(n => n.Name == idOrName);
        if (byName is not null)
            return byName;
        if (_networks.TryGetValue(idOrName, out var byId))
            return byId;
        var byPrefix = _networks.Values.Where(n => n.Id.StartsWith(idOrName, StringComparison.Ordinal)).Take(2).ToList();
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    private static Dictionary<string, string> DefaultBridgeOptions(string bridgeName, int mtu) => new()
    {
        ["com.docker.network.bridge.default_bridge"] = "true",
        [IccOption] = "true",
        [MasqueradeOption] = "true",
        ["com.docker.network.bridge.host_binding_ipv4"] = "0.0.0.0",
        [BridgeNameOption] = bridgeName,
        [MtuOption] = mtu.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static bool Flag(NetworkCreateOptions options, string key)
    {
        if (!options.Options.TryGetValue(key, out string? text))
            return true;
        return bool.TryParse(text, out bool value) ? value
            : throw new NetworkException(NetworkErrorKind.InvalidArgument, $"invalid value {text} for option {key}");
    }

    private static bool IsValidName(string name) =>
        char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A random locally administered unicast MAC, as Docker 28 gives endpoints (first byte &amp;0xfe|0x02).</summary>
    private static string NewMac()
    {
        byte[] mac = RandomNumberGenerator.GetBytes(6);
        mac[0] = (byte)((mac[0] & 0xfe) | 0x02);
        return string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
