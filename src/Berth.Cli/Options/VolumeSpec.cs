namespace Berth.Cli.Options;

/// <summary>
/// docker's <c>-v</c>: "SRC:DST[:MODE]" is a bind (or named volume) sent in HostConfig.Binds, a relative source
/// starting with "." made absolute; a lone "DST" is an anonymous volume in Config.Volumes.
/// </summary>
public static class VolumeSpec
{
    public static void Apply(string spec, List<string> binds, Dictionary<string, Berth.Api.EmptyObject?> volumes)
    {
        var parts = spec.Split(':');
        switch (parts.Length)
        {
            case 1:
                if (spec.Length == 0)
                    throw new FlagValueException("invalid empty volume spec");
                volumes[spec] = new Berth.Api.EmptyObject();
                return;
            case 2 or 3:
                string source = parts[0];
                if (source.Length == 0 || parts[1].Length == 0)
                    throw new FlagValueException($"invalid spec: {spec}: empty section between colons");
                if (!source.StartsWith('/') && source.StartsWith('.'))
                    source = Path.GetFullPath(source);
                binds.Add(source + spec[parts[0].Length..]);
                return;
            default:
                throw new FlagValueException($"invalid spec: {spec}: too many colons");
        }
    }
}
