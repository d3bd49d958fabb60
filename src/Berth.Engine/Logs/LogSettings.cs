using System.Globalization;

namespace Berth.Engine.Logs;

/// <summary>
/// A container's log driver, checked and with its options parsed: <c>json-file</c> (Docker's format; by default one
/// file that never rotates) or <c>none</c>. Options are moby's json-file ones: <c>max-size</c> (go-units RAMInBytes),
/// <c>max-file</c> (at least 1, more only with max-size) and <c>compress</c> (rotated files gzipped, only with max-size).
/// </summary>
public sealed record LogSettings(string Driver, long MaxSize, int MaxFile, bool Compress)
{
    public const string JsonFile = "json-file";
    public const string None = "none";

    public static LogSettings Default { get; } = new(JsonFile, -1, 1, false);

    public bool Rotates => MaxSize > 0;

    /// <summary>moby's mergeAndVerifyLogConfig: no type takes the daemon's; the daemon's options fill in those not given for its own type.</summary>
    public static LogConfig Merge(LogConfig? container, LogConfig daemonDefault)
    {
        string type = container?.Type is { Length: > 0 } given ? given : daemonDefault.Type;
        var options = new Dictionary<string, string>(container?.Config ?? []);
        if (type == daemonDefault.Type)
            foreach (var (key, value) in daemonDefault.Config)
                options.TryAdd(key, value);
        return new LogConfig { Type = type, Config = options };
    }

    /// <summary>Checks a driver and its options with moby's words; throws InvalidParameterException for bad input.</summary>
    public static LogSettings Parse(LogConfig config)
    {
        string driver = config.Type.Length == 0 ? JsonFile : config.Type;
        switch (driver)
        {
            case None:
                foreach (string key in config.Config.Keys)
                    throw new InvalidParameterException($"unknown log opt '{key}' for none log driver");
                return new LogSettings(None, -1, 1, false);
            case JsonFile:
                break;
            case "local":
                throw new InvalidParameterException("logger: the local log driver is not supported by Berth yet; use json-file with --log-opt max-size and compress");
            default:
                throw new InvalidParameterException($"logger: no log driver named '{driver}' is registered");
        }
        long maxSize = -1;
        int maxFile = 1;
        bool compress = false;
        foreach (var (key, value) in config.Config)
        {
            switch (key)
            {
                case "max-size":
                    maxSize = Volumes.ByteSize.Parse(value, "max-size");
                    break;
                case "max-file":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out maxFile))
                        throw new InvalidParameterException($"invalid value for max-file: strconv.Atoi: parsing \"{value}\": invalid syntax");
                    break;
                case "compress":
                    compress = value switch
                    {
                        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
                        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
                        _ => throw new InvalidParameterException($"error reading compress log option: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
                    };
                    break;
                default:
                    throw new InvalidParameterException($"unknown log opt '{key}' for json-file log driver");
            }
        }
        if (maxFile < 1)
            throw new InvalidParameterException("max-file cannot be less than 1");
        if (maxSize <= 0 && maxFile > 1)
            throw new InvalidParameterException("max-file cannot be set when max-size is not set");
        if (maxSize <= 0 && compress)
            throw new InvalidParameterException("compress cannot be set when max-size is not set");
        return new LogSettings(JsonFile, maxSize, maxFile, compress);
    }
}
