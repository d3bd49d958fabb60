namespace Berth.Engine.Cgroups;

/// <summary>
/// One device cgroup rule: allow or deny <see cref="Access"/> (a combination of <c>r</c>, <c>w</c>, <c>m</c>) to devices of
/// <see cref="Type"/> <c>c</c> (char), <c>b</c> (block) or <c>a</c> (all). A null major or minor is the wildcard <c>*</c>.
/// </summary>
public sealed record DeviceRule(bool Allow, char Type, long? Major, long? Minor, string Access)
{
    /// <summary>The v1 <c>devices.allow</c>/<c>devices.deny</c> form, e.g. <c>c 1:3 rwm</c> or <c>a *:* rwm</c>.</summary>
    public override string ToString() => $"{Type} {Major?.ToString() ?? "*"}:{Minor?.ToString() ?? "*"} {Access}";
}
