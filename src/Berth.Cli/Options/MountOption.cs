using System.Globalization;
using Berth.Api;

namespace Berth.Cli.Options;

/// <summary>
/// docker's <c>--mount</c> (docker/cli opts/mount.go): comma-separated key=value fields; the type defaults to
/// volume; <c>readonly</c>, <c>volume-nocopy</c> and the bind booleans may stand alone. Errors are docker's words.
/// </summary>
public static class MountOption
{
    public static Mount Parse(string value)
    {
        var mount = new Mount { Type = "volume" };
        MountBindOptions Bind() => mount.BindOptions ??= new MountBindOptions();
        MountVolumeOptions Volume() => mount.VolumeOptions ??= new MountVolumeOptions();
        MountTmpfsOptions Tmpfs() => mount.TmpfsOptions ??= new MountTmpfsOptions();

        foreach (string field in SplitCsv(value))
        {
            int eq = field.IndexOf('=');
            string key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            string val = eq < 0 ? "" : field[(eq + 1)..];
            if (eq < 0)
            {
                switch (key)
                {
                    case "readonly" or "ro":
                        mount.ReadOnly = true;
                        continue;
                    case "volume-nocopy":
                        Volume().NoCopy = true;
                        continue;
                    case "bind-nonrecursive":
                        Bind().NonRecursive = true;
                        continue;
                    case "bind-create-mountpoint":
                        Bind().CreateMountpoint = true;
                        continue;
                    default:
                        throw new FlagValueException($"invalid field '{field}' must be a key=value pair");
                }
            }
            switch (key)
            {
                case "type":
                    mount.Type = val.ToLowerInvariant();
                    break;
                case "source" or "src":
                    mount.Source = val;
                    break;
                case "target" or "dst" or "destination":
                    mount.Target = val;
                    break;
                case "readonly" or "ro":
                    mount.ReadOnly = ParseBool(key, val);
                    break;
                case "consistency":
                    mount.Consistency = val.ToLowerInvariant();
                    break;
                case "bind-propagation":
                    Bind().Propagation = val.ToLowerInvariant();
                    break;
                case "bind-nonrecursive":
                    Bind().NonRecursive = ParseBool(key, val);
                    break;
                case "bind-create-mountpoint":
                    Bind().CreateMountpoint = ParseBool(key, val);
                    break;
                case "volume-nocopy":
                    Volume().NoCopy = ParseBool(key, val);
                    break;
                case "volume-subpath":
                    Volume().Subpath = val;
                    break;
                case "volume-label":
                    var (labelKey, labelValue) = Pair(val);
                    (Volume().Labels ??= [])[labelKey] = labelValue;
                    break;
                case "volume-driver":
                    (Volume().DriverConfig ??= new MountDriverConfig()).Name = val;
                    break;
                case "volume-opt":
                    var (optKey, optValue) = Pair(val);
                    ((Volume().DriverConfig ??= new MountDriverConfig()).Options ??= [])[optKey] = optValue;
                    break;
                case "tmpfs-size":
                    try
                    {
                        Tmpfs().SizeBytes = MemorySize.Parse(val);
                    }
                    catch (FlagValueException)
                    {
                        throw new FlagValueException($"invalid value for {key}: {val}");
                    }
                    break;
                case "tmpfs-mode":
                    Tmpfs().Mode = uint.TryParse(val, out _) && val.All(c => c is >= '0' and <= '7') && Convert.ToUInt32(val, 8) <= 0xFFF
                        ? Convert.ToUInt32(val, 8)
                        : throw new FlagValueException($"invalid value for {key}: {val}");
                    break;
                default:
                    throw new FlagValueException($"unexpected key '{key}' in '{field}'");
            }
        }

        if (mount.Type.Length == 0)
            throw new FlagValueException("type is required");
        if (mount.Target.Length == 0)
            throw new FlagValueException("target is required");
        if (mount.VolumeOptions is not null && mount.Type != "volume")
            throw new FlagValueException($"cannot mix 'volume-*' options with mount type '{mount.Type}'");
        if (mount.BindOptions is not null && mount.Type != "bind")
            throw new FlagValueException($"cannot mix 'bind-*' options with mount type '{mount.Type}'");
        if (mount.TmpfsOptions is not null && mount.Type != "tmpfs")
            throw new FlagValueException($"cannot mix 'tmpfs-*' options with mount type '{mount.Type}'");
        return mount;
    }

    /// <summary>strconv.ParseBool's words.</summary>
    private static bool ParseBool(string key, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new FlagValueException($"invalid value for {key}: {value}"),
    };

    private static (string Key, string Value) Pair(string value)
    {
        int eq = value.IndexOf('=');
        return eq < 0 ? (value, "") : (value[..eq], value[(eq + 1)..]);
    }

    /// <summary>encoding/csv as docker reads the value: fields split on commas, a quoted field may contain them.</summary>
    private static List<string> SplitCsv(string value)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '"' && (quoted || current.Length == 0))
            {
                if (quoted && i + 1 < value.Length && value[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                    quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        if (quoted)
            throw new FlagValueException($"parse error on line 1, column {value.Length + 1}: extraneous or missing \" in quoted-field");
        fields.Add(current.ToString());
        return fields.Where(f => f.Length > 0).ToList();
    }
}
