namespace Berth.Engine.Containers;

/// <summary>Where the time of a container start went, for benchmarks and debug logs.</summary>
public sealed record StartTimings(TimeSpan Rootfs, TimeSpan Cgroup, TimeSpan Spec, TimeSpan Network, TimeSpan Launcher, TimeSpan Init, TimeSpan Total);
